import type { Messages } from '../types.js';

/** archive. */
export const archive: Messages = {
  'archive.readback': { en: 'the archive just written does not read back whole ({archive}: {damage}); the disk may be failing. Nothing was catalogued from it', zh: '刚写入的归档读回校验失败（{archive}：{damage}）；磁盘可能有问题。未登记其中任何内容' },
  'archive.dryRun': { en: 'dry run: nothing was written. This is what archive would do:', zh: '演练：未写入任何内容。归档将会：' },
  'archive.wouldSummary': { en: '{selected|# image|# images} selected, {unchanged} already archived and unchanged; {newImages|# new image|# new images} ({newBytes}) would be stored, {duplicates|# duplicate|# duplicates} recorded without storing again', zh: '选中 {selected} 张图片，其中 {unchanged} 张已归档且未变；将存储新图片 {newImages} 张（{newBytes}），{duplicates} 个重复文件只登记不重复存储' },
  'archive.summary': { en: '{selected|# image|# images} selected, {unchanged} already archived and unchanged; {newImages|# new image|# new images} ({newBytes}) stored, {duplicates|# duplicate|# duplicates} recorded without storing again', zh: '选中 {selected} 张图片，其中 {unchanged} 张已归档且未变；存储新图片 {newImages} 张（{newBytes}），{duplicates} 个重复文件只登记不重复存储' },
  'archive.more': { en: '  … and {count} more (use --json for all)', zh: '  ……另有 {count} 个（用 --json 查看全部）' },
  'archive.written': { en: '{count|# archive|# archives} written and verified in {vault}:', zh: '在 {vault} 写入并校验了 {count} 个归档：' },
  'archive.nothing': { en: 'nothing new to archive', zh: '没有需要归档的新内容' },
  'archive.recovered': { en: 'finished an interrupted run: {adopted|# archive|# archives} catalogued, {partials|# partial file|# partial files} removed', zh: '已完成上次中断的运行：登记 {adopted} 个归档，删除 {partials} 个未完成文件' },
  'archive.originalsKept': { en: 'the original files were not touched; `picvault clean` frees the space', zh: '原文件未做任何改动；`picvault clean` 可释放空间' },
  'archive.cleanNext': { en: 'now clean: the archived originals are deleted once each is checked again', zh: '接下来清理：每个已归档的原文件再次核对后删除' },
  'device.notHere': {
    en: '{command} acts as this device, named with --device-name NAME; --device filters places already in the vault (restore, catalog list)',
    zh: '{command} 以本设备的身份运行，本设备名称用 --device-name NAME 指定；--device 用于筛选仓库中已有的位置（restore、catalog list）',
  },
  'archive.cleanAfterDryRun': { en: 'with --clean, the archived originals would then be deleted (after a confirmation)', zh: '加 --clean 时，归档后的原文件随后会被删除（需确认）' },
};
