import type { Messages } from '../types.js';

/** restore. */
export const restore: Messages = {
  'restore.dryRun': { en: 'dry run: nothing was written. This is what restore would do:', zh: '演练：未写入任何内容。恢复将会：' },
  'restore.summary': { en: '{restored} files restored ({bytes}), {already} already in place, {skipped} skipped', zh: '恢复 {restored} 个文件（{bytes}），{already} 个已存在且相同，跳过 {skipped} 个' },
  'restore.to': { en: 'restored under {dir}', zh: '已恢复到 {dir}' },
  'restore.none': { en: 'nothing in the vault matches the selection', zh: '仓库中没有符合条件的文件' },
  'restore.action.write': { en: 'write', zh: '写入' },
  'restore.action.overwrite': { en: 'overwrite', zh: '覆盖' },
  'restore.action.already': { en: 'already there', zh: '已存在' },
  'restore.notDecoded': { en: '{count} .dat files could not be decoded and were restored as they are', zh: '{count} 个 .dat 文件无法解码，已按原样恢复' },
  'run.bad': { en: '--run wants a run id as catalog log shows it: {value}', zh: '--run 需要 catalog log 中显示的运行编号：{value}' },
  'run.unknown': { en: 'no run {run} in the log (picvault catalog log lists them)', zh: '记录中没有编号为 {run} 的运行（picvault catalog log 可列出）' },
  'run.notRemoval': { en: 'run {run} was a {command}; only a clean or dedupe run removed files to bring back', zh: '运行 {run} 是 {command}；只有 clean 或 dedupe 运行删除过文件' },
};
