import type { Messages } from '../types.js';

/** clean and why files stay. */
export const clean: Messages = {
  'clean.noSources': { en: 'no source named, and the catalogue records no archive run of device {device} (catalog log); name the folders to clean', zh: '未指定来源，且目录中没有设备 {device} 的归档记录（见 catalog log）；请指定要清理的文件夹' },
  'clean.needYes': { en: 'clean deletes {count|# file|# files} ({bytes}) and asks first, but this is not a terminal; add --yes to delete (--preview FILE writes a contact sheet of {count|it|them})', zh: '清理将删除 {count} 个文件（{bytes}），需要确认，但当前不是终端；请加 --yes 确认删除（--preview FILE 可生成这些图片的预览图）' },
  'clean.appRunning': { en: 'QQ or WeChat is running ({apps}); close it first, or add --force', zh: 'QQ 或微信正在运行（{apps}）；请先退出，或加 --force' },
  'clean.dryRun': { en: 'dry run: nothing was deleted. This is what clean would do:', zh: '演练：未删除任何文件。清理将会：' },
  'clean.wouldDelete': { en: 'delete', zh: '删除' },
  'clean.keptBecause': { en: '{count|# file stays|# files stay}: {reason}', zh: '{count} 个文件保留：{reason}' },
  'clean.planSummary': { en: '{count|# file|# files} can go, freeing {bytes}; {kept|# selected file stays|# selected files stay}', zh: '可删除 {count} 个文件，释放 {bytes}；{kept} 个选中文件保留' },
  'clean.ask': { en: 'Delete {count|# file|# files} ({bytes})? Every one is in the vault and verified. Preview: {preview}', zh: '删除 {count} 个文件（{bytes}）？它们都已在仓库中并通过校验。预览：{preview}' },
  'clean.readOnly': {
    en: 'the vault is read-only: clean can show its plan here, not carry it out (each delete is recorded in the catalogue, and verify cannot record its checks); make the drive writable to clean',
    zh: '仓库为只读：此处只能显示清理计划，无法执行（每次删除都要记录到目录中，verify 也无法记录校验结果）；请让磁盘可写后再清理',
  },
  'clean.readOnlyVault': {
    en: 'the vault {vault} is read-only: clean records each delete in the catalogue, so it deletes nothing here; make the drive writable first (clean --dry-run shows the plan)',
    zh: '仓库 {vault} 为只读：clean 需要把每次删除记录到目录中，因此此处不会删除任何文件；请先让磁盘可写（clean --dry-run 可查看计划）',
  },
  'clean.cancelled': { en: 'nothing deleted', zh: '未删除任何文件' },
  'clean.done': { en: '{count|# file|# files} deleted, {bytes} freed, {folders|# emptied folder|# emptied folders} removed', zh: '已删除 {count} 个文件，释放 {bytes}，移除 {folders} 个空文件夹' },
  'clean.listHint': { en: 'add --list to see every file that would be deleted, or --json for every file and why each stays', zh: '加 --list 可列出每个将被删除的文件，加 --json 可查看每个文件及保留原因' },
  'clean.readBack': {
    en: 'before deleting, picvault read back {count|# picture|# pictures} ({bytes}) from the vault and re-hashed {count|it|them}',
    zh: '删除前已从仓库读回并重新校验 {count} 张图片（{bytes}）',
  },
  'clean.damaged': {
    en: '{count|# file stays|# files stay} because the vault\'s copy of the picture is damaged; run picvault repair --vault {vault}',
    zh: '{count} 个文件因仓库中的图片副本已损坏而保留；请运行 picvault repair --vault {vault}',
  },
  'clean.preview': { en: 'preview of what went: {preview}', zh: '已删除内容的预览：{preview}' },
  // The catalogue knows no place at these paths; their pictures may well be in the vault from other places.
  'keep.not-in-vault': {
    en: 'never archived from these places; archive them first (a picture the vault already holds is only recorded, not stored again)',
    zh: '这些位置从未归档；请先归档（仓库中已有的图片只记录位置，不会重复存储）',
  },
  'keep.not-image': { en: 'not an image, left alone', zh: '不是图片，不处理' },
  'keep.changed': { en: 'changed since they were archived', zh: '归档后已被修改' },
  'keep.archive-unverified': { en: 'their archive is not verified (run verify)', zh: '所在归档未通过校验（请运行 verify）' },
  'keep.archive-damaged': { en: 'their archive in the vault is damaged (picvault repair mends it)', zh: '所在归档已损坏（可用 picvault repair 修复）' },
  'keep.archive-missing': { en: 'their archive is missing from the vault', zh: '所在归档已从仓库中丢失' },
  'keep.other-device': { en: 'archived from another device', zh: '由其他设备归档' },
};
