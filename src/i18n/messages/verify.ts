import type { Messages } from '../types.js';

/** verify and reindex. */
export const verify: Messages = {
  'verify.ok': { en: 'vault is whole: {archives|# archive|# archives}, {images|# image|# images} checked{data}', zh: '仓库完好：已检查 {archives} 个归档、{images} 张图片{data}' },
  'verify.data': { en: ' (every image re-hashed)', zh: '（每张图片都重新计算了哈希）' },
  'verify.noData': { en: ' (archives hashed; add --read-data to re-hash every image)', zh: '（已校验归档哈希；加 --read-data 可逐张校验图片）' },
  'verify.damaged': { en: 'DAMAGE in {count|# archive|# archives}:', zh: '{count} 个归档已损坏：' },
  'verify.affected': { en: '{count|# original file has|# original files have} no good copy in the vault:', zh: '{count} 个原始文件在仓库中没有完好的副本：' },
  'verify.mayBeAffected': {
    en: '{count|# original file|# original files} may have no good copy in the vault: this check read no picture, and picvault verify --read-data --vault {vault} finds out which:',
    zh: '{count} 个原始文件在仓库中可能没有完好的副本：本次检查未读取图片，运行 picvault verify --read-data --vault {vault} 可查明是哪些：',
  },
  'verify.stillOnDisk': { en: 'still on disk: never cleaned', zh: '仍在磁盘上：从未清理' },
  'verify.onDiskHint': {
    en: '{count|# of them was|# of them were} never cleaned and {count|is|are} not lost: repair stores {count|it|them} again from {count|its folder|their folders} (name {count|it|them})',
    zh: '其中 {count} 个文件从未清理，并未丢失：repair 可从其所在文件夹重新存储（请给出这些文件夹）',
  },
  'verify.markedBefore': {
    en: 'found whole by this check, but a stronger one marked it damaged ({damage}), and only a check as strong clears that: run picvault verify --read-data --vault {vault}',
    zh: '本次检查未发现问题，但更严格的检查曾将其标记为损坏（{damage}），只有同样严格的检查才能解除：请运行 picvault verify --read-data --vault {vault}',
  },
  'verify.repairHint': {
    en: 'picvault repair --vault {vault} stores the damaged pictures again from any good copy (add the folders that may hold them) and moves the damaged archives aside',
    zh: 'picvault repair --vault {vault} 会从任何完好的副本重新存储受损图片（可加上可能存有它们的文件夹），并把损坏的归档移到一旁',
  },
  'verify.notRebuilt': {
    en: '{count|# WeChat .dat is|# WeChat .dat files are} not rebuilt exactly by the picture stored for {count|it|them} (a damaged recipe in the catalogue), so restore and clean leave {count|it|them}; picvault reindex --vault {vault} reads the recipes again from the archives:',
    zh: '{count} 个微信 .dat 无法由为其存储的图片精确重建（目录中的重建配方已损坏），restore 和 clean 不会处理它们；picvault reindex --vault {vault} 会从归档重新读取重建配方：',
  },
  'verify.repairHint.readOnly': {
    en: 'the vault is read-only, and repair writes to it: copy the vault to a writable drive and run picvault repair --vault <the copy> there (add the folders that may hold good copies)',
    zh: '仓库为只读，而 repair 需要写入：请将仓库复制到可写的磁盘，再对副本运行 picvault repair --vault <副本>（可加上可能存有完好副本的文件夹）',
  },
  'verify.uncatalogued': { en: '{count|# archive is|# archives are} not in the catalogue (run picvault reindex): {names}', zh: '{count} 个归档未登记（请运行 picvault reindex）：{names}' },
  'verify.uncatalogued.readOnly': {
    en: '{count|# archive is|# archives are} not in the catalogue (picvault reindex adopts {count|it|them}, once the vault is writable): {names}',
    zh: '{count} 个归档未登记（待仓库可写后，picvault reindex 会将其登记）：{names}',
  },
  'verify.notRecorded': {
    en: 'the vault is read-only: this check was reported, not recorded (clean counts only on checks recorded in the catalogue)',
    zh: '仓库为只读：本次校验只做了报告，未记录到目录中（clean 只认可记录在目录中的校验）',
  },
  'reindex.done': { en: 'catalogue rebuilt from {archives|# archive|# archives}: {images|# image|# images}, {locations|# place|# places}', zh: '已从 {archives} 个归档重建目录：{images} 张图片、{locations} 个位置' },
  'reindex.audit': {
    en: 'the audit trail kept from the old catalogue: {runs|# run|# runs} (catalog log), and when {places|# original was|# originals were} cleaned or restored',
    zh: '已从旧目录保留审计记录：{runs} 次运行（catalog log），以及 {places} 个原文件的清理或恢复时间',
  },
  'reindex.auditLost': {
    en: 'the old catalogue could not be read: its audit trail (catalog log, when originals were cleaned or restored) is not in the new one',
    zh: '无法读取旧目录：其审计记录（catalog log、原文件的清理或恢复时间）未能带入新目录',
  },
  'reindex.unreadable': { en: '{count|# archive|# archives} could not be read and {count|was|were} left out: {names}', zh: '{count} 个归档无法读取，已略过：{names}' },
  'reindex.kept': {
    en: 'kept from the old catalogue what no archive says: {archives|# missing archive|# missing archives}, {images|# picture|# pictures} and {places|# place|# places} (repair mends them)',
    zh: '已从旧目录保留归档中没有的信息：{archives} 个缺失的归档、{images} 张图片和 {places} 个位置（可用 repair 修复）',
  },
  'reindex.lost': {
    en: '{count|# place is|# places are} recorded in the archives, but its picture is stored in none and no catalogue knows it; archive the original again if it is still on disk:',
    zh: '{count} 个位置记录在归档中，但其图片不在任何归档中，目录中也没有；若原文件仍在磁盘上，请重新归档：',
  },
};
