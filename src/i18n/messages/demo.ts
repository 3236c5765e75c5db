import type { Messages } from '../types.js';

/** demo. */
export const demo: Messages = {
  'demo.building': { en: 'building a sample cache of {count} images in {dir}', zh: '正在 {dir} 生成 {count} 张示例图片' },
  'demo.step': { en: '\n== {step} ==', zh: '\n== {step} ==' },
  'demo.restoreCheck': { en: 'restored {count} files; byte-identical with the originals: {ok}', zh: '恢复 {count} 个文件；与原文件逐字节一致：{ok}' },
  'demo.where': { en: '\nsample cache: {cache}\nvault: {vault}\nrestored: {restored}', zh: '\n示例缓存：{cache}\n仓库：{vault}\n恢复目录：{restored}' },
};
