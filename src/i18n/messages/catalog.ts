import type { Messages } from '../types.js';

/** catalog show and log. */
export const catalog: Messages = {
  'show.image': { en: 'image {hash}: {type}, {size}', zh: '图片 {hash}：{type}，{size}' },
  'show.archive': { en: 'stored in {archive}, entry {entry}{state}', zh: '存于 {archive}，条目 {entry}{state}' },
  'show.verified': { en: ' (verified {at})', zh: '（校验于 {at}）' },
  'show.damaged': { en: ' (DAMAGED: {damage})', zh: '（已损坏：{damage}）' },
  'show.seen': { en: 'seen in {count|# place|# places}:', zh: '出现在 {count} 个位置：' },
  'show.place': { en: '{taken}  [{rule}]  {device}  {path}', zh: '{taken}  [{rule}]  {device}  {path}' },
  'show.exif': { en: '    EXIF date {exif}', zh: '    EXIF 日期 {exif}' },
  'log.empty': { en: 'no runs recorded yet', zh: '尚无运行记录' },
};
