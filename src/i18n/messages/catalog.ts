import type { Messages } from '../types.js';

/** catalog show and log. */
export const catalog: Messages = {
  'show.image': { en: 'picture {hash}: {type}, {size}', zh: '图片 {hash}：{type}，{size}' },
  'show.archive': { en: 'stored in {archive}, entry {entry}{state}', zh: '存于 {archive}，条目 {entry}{state}' },
  'show.verified': { en: ' (verified {at})', zh: '（校验于 {at}）' },
  'show.damaged': { en: ' (DAMAGED: {damage})', zh: '（已损坏：{damage}）' },
  'show.seen': { en: 'seen in {count|# place|# places}:', zh: '出现在 {count} 个位置：' },
  'show.place': { en: '{taken}  [{rule}]  {device}  {path}', zh: '{taken}  [{rule}]  {device}  {path}' },
  'show.exif': { en: '    EXIF date {exif}', zh: '    EXIF 日期 {exif}' },
  'show.file': { en: '    its file: {hash}, {size}, {format}, rebuilt from the picture', zh: '    原文件：{hash}，{size}，{format}，由图片重建' },
  'recipe.wechat3': { en: 'a WeChat 3.x .dat', zh: '微信 3.x .dat' },
  'recipe.wechat4-v1': { en: 'a WeChat 4.x V1 .dat', zh: '微信 4.x V1 .dat' },
  'recipe.wechat4-v2': { en: 'a WeChat 4.x V2 .dat', zh: '微信 4.x V2 .dat' },
  'recipe.unreadable': { en: 'its recipe unreadable (the catalogue is damaged: run reindex)', zh: '重建配方不可读（目录已损坏：请运行 reindex）' },
  'log.empty': { en: 'no runs recorded yet', zh: '尚无运行记录' },
};
