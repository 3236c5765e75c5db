import type { Messages } from '../types.js';

/** repair: its report and its advice (its help is in help.ts). */
export const repair: Messages = {
  'repair.whole': { en: 'nothing to repair: every archive reads back whole', zh: '无需修复：所有归档读回校验完好' },
  'repair.dryRun': { en: 'dry run: nothing was written or moved. This is what repair would do:', zh: '演练：未写入或移动任何内容。修复将会：' },
  'repair.archive': { en: '{name}: {damage}', zh: '{name}：{damage}' },
  'repair.from': {
    en: '  {count|# picture|# pictures} stored again from {kind}',
    zh: '  从{kind}重新存储 {count} 张图片',
  },
  'repair.kind.zip': { en: 'the damaged zip itself (entries that still hash right)', zh: '损坏归档本身（仍校验正确的条目）' },
  'repair.kind.place': { en: 'files still on this device', zh: '本设备上的原文件' },
  'repair.kind.folder': { en: 'the folders given', zh: '指定的文件夹' },
  'repair.kind.vault': { en: 'the other vault', zh: '另一个仓库' },
  'repair.moved': { en: '  moved to {to}', zh: '  已移至 {to}' },
  'repair.written': { en: '{count|# new archive|# new archives} written and verified', zh: '已写入并校验 {count} 个新归档' },
  'repair.done': { en: 'repaired: the vault verifies again', zh: '修复完成：仓库重新通过校验' },
  'repair.unrecoverable': {
    en: '{count|# picture has|# pictures have} no good copy anywhere; {count|its original is|their originals are} lost unless a copy turns up (give its folder, or --from-vault, and run repair again):',
    zh: '{count} 张图片在任何地方都没有完好的副本；除非找到副本（指定其文件夹或 --from-vault 后再次运行 repair），以下原文件已丢失：',
  },
  'phase.repair': { en: 'repairing', zh: '修复' },
};
