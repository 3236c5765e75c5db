import type { Messages } from '../types.js';

/** scan and cache discovery. */
export const scan: Messages = {
  'scan.source': { en: 'source: {source}', zh: '来源：{source}' },
  'scan.summary': { en: '{files|# image|# images}, {bytes}', zh: '{files} 张图片，共 {bytes}' },
  'scan.notImages': { en: '{count|# file is not an image and is|# files are not images and are} left alone', zh: '{count} 个文件不是图片，未处理' },
  'scan.empty': { en: 'no images found', zh: '没有找到图片' },
  'discover.found': { en: 'found {app} cache: {path}', zh: '找到 {app} 缓存：{path}' },
  'discover.none': { en: 'no QQ or WeChat cache found on this machine; name a folder to scan. Looked in: {places}', zh: '本机未找到 QQ 或微信缓存；请指定要扫描的文件夹。查找过：{places}' },
};
