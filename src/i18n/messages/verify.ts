import type { Messages } from '../types.js';

/** verify and reindex. */
export const verify: Messages = {
  'verify.ok': { en: 'vault is whole: {archives} archives, {images} images checked{data}', zh: '仓库完好：已检查 {archives} 个归档、{images} 张图片{data}' },
  'verify.data': { en: ' (every image re-hashed)', zh: '（每张图片都重新计算了哈希）' },
  'verify.noData': { en: ' (archives hashed; add --read-data to re-hash every image)', zh: '（已校验归档哈希；加 --read-data 可逐张校验图片）' },
  'verify.damaged': { en: 'DAMAGE in {count} archives:', zh: '{count} 个归档已损坏：' },
  'verify.affected': { en: '{count} original files have no good copy in the vault:', zh: '{count} 个原始文件在仓库中没有完好的副本：' },
  'verify.uncatalogued': { en: '{count} archives are not in the catalogue (run picvault reindex): {names}', zh: '{count} 个归档未登记（请运行 picvault reindex）：{names}' },
  'verify.uncatalogued.readOnly': {
    en: '{count} archives are not in the catalogue (picvault reindex adopts them, once the vault is writable): {names}',
    zh: '{count} 个归档未登记（待仓库可写后，picvault reindex 会将其登记）：{names}',
  },
  'verify.notRecorded': {
    en: 'the vault is read-only: this check was reported, not recorded (clean counts only on checks recorded in the catalogue)',
    zh: '仓库为只读：本次校验只做了报告，未记录到目录中（clean 只认可记录在目录中的校验）',
  },
  'reindex.done': { en: 'catalogue rebuilt from {archives} archives: {images} images, {locations} places', zh: '已从 {archives} 个归档重建目录：{images} 张图片、{locations} 个位置' },
  'reindex.audit': {
    en: 'the audit trail kept from the old catalogue: {runs} runs (catalog log), and when {places} originals were cleaned or restored',
    zh: '已从旧目录保留审计记录：{runs} 次运行（catalog log），以及 {places} 个原文件的清理或恢复时间',
  },
  'reindex.auditLost': {
    en: 'the old catalogue could not be read: its audit trail (catalog log, when originals were cleaned or restored) is not in the new one',
    zh: '无法读取旧目录：其审计记录（catalog log、原文件的清理或恢复时间）未能带入新目录',
  },
  'reindex.unreadable': { en: '{count} archives could not be read and were left out: {names}', zh: '{count} 个归档无法读取，已略过：{names}' },
};
