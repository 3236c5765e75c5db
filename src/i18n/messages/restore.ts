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
  'restore.v2NoKey': {
    en: '{count|# of them is a WeChat 4.x V2 file|# of them are WeChat 4.x V2 files}: decoding needs the account\'s key, --wechat-key (16 characters, or the 32 hex digits of img_key)',
    zh: '其中 {count} 个是微信 4.x V2 文件：解码需要该账号的密钥 --wechat-key（16 个字符，或 img_key 的 32 位十六进制）',
  },
  'restore.v2WrongKey': {
    en: '{count|# of them is a WeChat 4.x V2 file|# of them are WeChat 4.x V2 files} that the --wechat-key given does not open: it is not the key of the account that wrote {count|it|them}',
    zh: '其中 {count} 个是微信 4.x V2 文件，所给的 --wechat-key 无法解开：它不是写入这些文件的账号的密钥',
  },
  'restore.notDecoded': { en: '{count|# .dat file|# .dat files} could not be decoded and {count|was|were} restored as {count|it is|they are}', zh: '{count} 个 .dat 文件无法解码，已按原样恢复' },
  'run.bad': { en: '--run wants a run id as catalog log shows it: {value}', zh: '--run 需要 catalog log 中显示的运行编号：{value}' },
  'run.unknown': { en: 'no run {run} in the log (picvault catalog log lists them)', zh: '记录中没有编号为 {run} 的运行（picvault catalog log 可列出）' },
  'run.notRemoval': { en: 'run {run} was a {command}; only a clean or dedupe run removed files to bring back', zh: '运行 {run} 是 {command}；只有 clean 或 dedupe 运行删除过文件' },
};
