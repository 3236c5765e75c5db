import type { Messages } from '../types.js';

/** restore. */
export const restore: Messages = {
  'restore.dryRun': { en: 'dry run: nothing was written. This is what restore would do:', zh: '演练：未写入任何内容。恢复将会：' },
  'restore.summary': { en: '{restored|# file|# files} restored ({bytes}), {already} already in place, {skipped} skipped', zh: '恢复 {restored} 个文件（{bytes}），{already} 个已存在且相同，跳过 {skipped} 个' },
  'restore.wouldSummary': { en: '{restored|# file|# files} would be restored ({bytes}), {already} already in place, {skipped} would be skipped', zh: '将恢复 {restored} 个文件（{bytes}），{already} 个已存在且相同，将跳过 {skipped} 个' },
  'restore.to': { en: 'restored under {dir}', zh: '已恢复到 {dir}' },
  'restore.toIsFile': { en: '{dir} is a file, not a folder: restore --to wants a folder (made if missing)', zh: '{dir} 是文件而不是文件夹：restore --to 需要文件夹（不存在会自动创建）' },
  'restore.none': { en: 'nothing in the vault matches the selection', zh: '仓库中没有符合条件的文件' },
  'restore.action.write': { en: 'write', zh: '写入' },
  'restore.action.overwrite': { en: 'overwrite', zh: '覆盖' },
  'restore.action.already': { en: 'already there', zh: '已存在' },
  'restore.notDecoded': { en: '{count|# .dat file|# .dat files} could not be decoded and {count|was|were} restored as {count|it is|they are}', zh: '{count} 个 .dat 文件无法解码，已按原样恢复' },
};
