import type { Messages } from '../types.js';

/** verify and reindex. */
export const verify: Messages = {
  'verify.ok': { en: 'vault is whole: {archives|# archive|# archives}, {images|# image|# images} checked{data}', zh: '仓库完好：已检查 {archives} 个归档、{images} 张图片{data}' },
  'verify.data': { en: ' (every image re-hashed)', zh: '（每张图片都重新计算了哈希）' },
  'verify.noData': { en: ' (archives hashed; add --read-data to re-hash every image)', zh: '（已校验归档哈希；加 --read-data 可逐张校验图片）' },
  'verify.damaged': { en: 'DAMAGE in {count|# archive|# archives}:', zh: '{count} 个归档已损坏：' },
  'verify.affected': { en: '{count|# original file has|# original files have} no good copy in the vault:', zh: '{count} 个原始文件在仓库中没有完好的副本：' },
  'verify.uncatalogued': { en: '{count|# archive is|# archives are} not in the catalogue (run picvault reindex): {names}', zh: '{count} 个归档未登记（请运行 picvault reindex）：{names}' },
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
};
