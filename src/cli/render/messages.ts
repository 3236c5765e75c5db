/**
 * Every sentence picvault says, in English and Chinese. Keys are what the core throws and the
 * commands print; {name} is filled from the parameters.
 */
export type Lang = 'en' | 'zh';

const MESSAGES: Record<string, { en: string; zh: string }> = {
  // errors the user can act on
  'source.missing': { en: 'source folder not found: {source}', zh: '找不到来源文件夹：{source}' },
  'source.notFolder': { en: 'not a folder: {source}', zh: '不是文件夹：{source}' },
  'vault.missing': { en: 'no vault at {vault} (the folder does not exist)', zh: '{vault} 没有仓库（文件夹不存在）' },
  'vault.notVault': { en: 'not a picvault vault: {vault} (no picvault.db, no archives/)', zh: '不是 picvault 仓库：{vault}（没有 picvault.db 和 archives/）' },
  'vault.noCatalog': { en: 'the vault {vault} has archives but no catalogue; run: picvault reindex --vault {vault}', zh: '仓库 {vault} 有归档但没有目录数据库；请运行：picvault reindex --vault {vault}' },
  'vault.badCatalog': { en: 'the catalogue of {vault} cannot be read ({reason}); `picvault reindex` rebuilds it from the archives', zh: '无法读取 {vault} 的目录数据库（{reason}）；`picvault reindex` 可从归档重建' },
  'vault.unwritable': { en: 'cannot write to the vault {vault} ({reason})', zh: '无法写入仓库 {vault}（{reason}）' },
  'vault.locked': { en: 'the vault is in use by another picvault run (pid {pid} on {host}, since {since}); if no run is active, delete {lock}', zh: '仓库正被另一个 picvault 进程使用（{host} 上的 pid {pid}，开始于 {since}）；若确无进程在运行，请删除 {lock}' },
  'vault.required': { en: 'name the vault with --vault DIR (or set PICVAULT_VAULT)', zh: '请用 --vault DIR 指定仓库（或设置 PICVAULT_VAULT）' },
  'catalog.newer': { en: 'this catalogue was written by a newer picvault (migration {applied}); please upgrade picvault', zh: '此目录数据库由更新版本的 picvault 写入（迁移 {applied}）；请升级 picvault' },
  'catalog.outdated': { en: 'the catalogue needs an upgrade, but the vault is read-only', zh: '目录数据库需要升级，但仓库是只读的' },
  'hash.unknown': { en: 'no image in the vault has a hash starting with {hash}', zh: '仓库中没有哈希以 {hash} 开头的图片' },
  'hash.ambiguous': { en: 'more than one image has a hash starting with {hash}; give more digits', zh: '有多张图片的哈希以 {hash} 开头；请多输入几位' },
  'hash.bad': { en: 'not a hash or hash prefix (6 to 16 hex digits): {value}', zh: '不是哈希或哈希前缀（6 到 16 位十六进制）：{value}' },
  'date.bad': { en: '{flag} wants YYYY-MM or YYYY-MM-DD, a real date: {value}', zh: '{flag} 需要真实日期，格式 YYYY-MM 或 YYYY-MM-DD：{value}' },
  'month.bad': { en: '--month wants YYYY-MM: {value}', zh: '--month 需要 YYYY-MM 格式：{value}' },
  'size.bad': { en: '{flag} wants a size such as 500KB, 2MB or 1.5GB: {value}', zh: '{flag} 需要大小，如 500KB、2MB 或 1.5GB：{value}' },
  'choice.bad': { en: '{flag} must be one of {choices}: {value}', zh: '{flag} 只能是 {choices} 之一：{value}' },
  'usage.unknownOption': { en: 'unknown option {detail}; see picvault --help', zh: '未知选项 {detail}；请参阅 picvault --help' },
  'usage.unknownCommand': { en: 'unknown command {detail}; see picvault --help', zh: '未知命令 {detail}；请参阅 picvault --help' },
  'usage.missingArgument': { en: 'missing value: {detail}', zh: '缺少参数值：{detail}' },
  'usage.excessArguments': { en: 'too many arguments: {detail}', zh: '参数过多：{detail}' },
  'usage.other': { en: '{detail}', zh: '{detail}' },
  'archive.readback': { en: 'the archive just written does not read back whole ({archive}: {damage}); the disk may be failing. Nothing was catalogued from it', zh: '刚写入的归档读回校验失败（{archive}：{damage}）；磁盘可能有问题。未登记其中任何内容' },
  'interrupted': { en: 'interrupted; the next run finishes or rolls back cleanly', zh: '已中断；下次运行会干净地完成或回滚' },
  'bug': { en: 'picvault failed unexpectedly: {detail}', zh: 'picvault 意外出错：{detail}' },

  // progress phases
  'phase.scan': { en: 'reading', zh: '读取' },
  'phase.store': { en: 'archiving', zh: '归档' },
  'phase.restore': { en: 'restoring', zh: '恢复' },
  'phase.verify': { en: 'verifying', zh: '校验' },
  'phase.reindex': { en: 'reindexing', zh: '重建目录' },

  // headings and column names
  'col.month': { en: 'month', zh: '月份' },
  'col.files': { en: 'files', zh: '文件数' },
  'col.bytes': { en: 'size', zh: '大小' },
  'col.images': { en: 'images', zh: '图片数' },
  'col.original': { en: 'original', zh: '原始大小' },
  'col.stored': { en: 'stored', zh: '存储大小' },
  'col.devices': { en: 'devices', zh: '设备' },
  'col.device': { en: 'device', zh: '设备' },
  'col.first': { en: 'first', zh: '最早' },
  'col.last': { en: 'last', zh: '最晚' },
  'col.taken': { en: 'date', zh: '日期' },
  'col.hash': { en: 'hash', zh: '哈希' },
  'col.type': { en: 'type', zh: '类型' },
  'col.path': { en: 'path', zh: '路径' },
  'col.new': { en: 'new images', zh: '新图片' },
  'col.newBytes': { en: 'new bytes', zh: '新增大小' },
  'total': { en: 'total', zh: '合计' },

  // summaries
  'scan.source': { en: 'source: {source}', zh: '来源：{source}' },
  'scan.summary': { en: '{files} images, {bytes}', zh: '{files} 张图片，共 {bytes}' },
  'scan.notImages': { en: '{count} files are not images and are left alone', zh: '{count} 个文件不是图片，未处理' },
  'scan.empty': { en: 'no images found', zh: '没有找到图片' },
  'skipped.head': { en: '{count} files skipped:', zh: '跳过 {count} 个文件：' },
  'skipped.more': { en: '… and {count} more (use --json for all)', zh: '……另有 {count} 个（用 --json 查看全部）' },
  'archive.dryRun': { en: 'dry run: nothing was written. This is what archive would do:', zh: '演练：未写入任何内容。归档将会：' },
  'archive.summary': { en: '{selected} images selected, {unchanged} already archived and unchanged; {newImages} new images ({newBytes}) stored, {duplicates} duplicates recorded without storing again', zh: '选中 {selected} 张图片，其中 {unchanged} 张已归档且未变；存储新图片 {newImages} 张（{newBytes}），{duplicates} 个重复文件只登记不重复存储' },
  'archive.written': { en: '{count} archives written and verified in {vault}:', zh: '在 {vault} 写入并校验了 {count} 个归档：' },
  'archive.nothing': { en: 'nothing new to archive', zh: '没有需要归档的新内容' },
  'archive.recovered': { en: 'finished an interrupted run: {adopted} archives catalogued, {partials} partial files removed', zh: '已完成上次中断的运行：登记 {adopted} 个归档，删除 {partials} 个未完成文件' },
  'archive.originalsKept': { en: 'the original files were not touched; `picvault clean` frees the space', zh: '原文件未做任何改动；`picvault clean` 可释放空间' },
  'restore.dryRun': { en: 'dry run: nothing was written. This is what restore would do:', zh: '演练：未写入任何内容。恢复将会：' },
  'restore.summary': { en: '{restored} files restored ({bytes}), {already} already in place, {skipped} skipped', zh: '恢复 {restored} 个文件（{bytes}），{already} 个已存在且相同，跳过 {skipped} 个' },
  'restore.to': { en: 'restored under {dir}', zh: '已恢复到 {dir}' },
  'restore.none': { en: 'nothing in the vault matches the selection', zh: '仓库中没有符合条件的文件' },
  'restore.action.write': { en: 'write', zh: '写入' },
  'restore.action.overwrite': { en: 'overwrite', zh: '覆盖' },
  'restore.action.already': { en: 'already there', zh: '已存在' },
  'skip.exists-different': { en: 'a different file is already there (use --overwrite if-different)', zh: '目标位置已有不同的文件（可用 --overwrite if-different）' },
  'skip.other-device': { en: 'archived from device {device}; restore it with --to DIR', zh: '来自设备 {device}；请用 --to DIR 恢复' },
  'skip.unsafe-path': { en: 'its path would lead outside the destination', zh: '其路径会超出目标目录' },
  'skip.damaged': { en: 'its archive is damaged or missing', zh: '所在归档损坏或缺失' },
  'skip.older-version': { en: 'a newer version of this path is restored instead', zh: '已恢复该路径的较新版本' },
  'skip.write-failed': { en: 'could not be written', zh: '无法写入' },
  'skip.changed': { en: 'changed since it was archived, or while being read', zh: '归档后或读取时文件发生变化' },
  'verify.ok': { en: 'vault is whole: {archives} archives, {images} images checked{data}', zh: '仓库完好：已检查 {archives} 个归档、{images} 张图片{data}' },
  'verify.data': { en: ' (every image re-hashed)', zh: '（每张图片都重新计算了哈希）' },
  'verify.noData': { en: ' (archives hashed; add --read-data to re-hash every image)', zh: '（已校验归档哈希；加 --read-data 可逐张校验图片）' },
  'verify.damaged': { en: 'DAMAGE in {count} archives:', zh: '{count} 个归档已损坏：' },
  'verify.affected': { en: '{count} original files have no good copy in the vault:', zh: '{count} 个原始文件在仓库中没有完好的副本：' },
  'verify.uncatalogued': { en: '{count} archives are not in the catalogue (run picvault reindex): {names}', zh: '{count} 个归档未登记（请运行 picvault reindex）：{names}' },
  'reindex.done': { en: 'catalogue rebuilt from {archives} archives: {images} images, {locations} places', zh: '已从 {archives} 个归档重建目录：{images} 张图片、{locations} 个位置' },
  'reindex.unreadable': { en: '{count} archives could not be read and were left out: {names}', zh: '{count} 个归档无法读取，已略过：{names}' },
  'catalog.totals': { en: '{archives} archives, {images} distinct images in {locations} places; stored {stored}', zh: '{archives} 个归档，{images} 张不同图片，共 {locations} 个位置；存储 {stored}' },
  'catalog.empty': { en: 'the vault is empty', zh: '仓库是空的' },
  'show.image': { en: 'image {hash}: {type}, {size}', zh: '图片 {hash}：{type}，{size}' },
  'show.archive': { en: 'stored in {archive}, entry {entry}{state}', zh: '存于 {archive}，条目 {entry}{state}' },
  'show.verified': { en: ' (verified {at})', zh: '（校验于 {at}）' },
  'show.damaged': { en: ' (DAMAGED: {damage})', zh: '（已损坏：{damage}）' },
  'show.seen': { en: 'seen in {count} places:', zh: '出现在 {count} 个位置：' },
  'show.place': { en: '{taken}  [{rule}]  {device}  {path}', zh: '{taken}  [{rule}]  {device}  {path}' },
  'show.exif': { en: '    EXIF date {exif}', zh: '    EXIF 日期 {exif}' },
  'rule.exif': { en: 'EXIF', zh: 'EXIF' },
  'rule.folder': { en: 'folder month', zh: '文件夹月份' },
  'rule.file-time': { en: 'file time', zh: '文件时间' },
  'demo.building': { en: 'building a sample cache of {count} images in {dir}', zh: '正在 {dir} 生成 {count} 张示例图片' },
  'demo.step': { en: '\n== {step} ==', zh: '\n== {step} ==' },
  'demo.restoreCheck': { en: 'restored {count} files; byte-identical with the originals: {ok}', zh: '恢复 {count} 个文件；与原文件逐字节一致：{ok}' },
  'demo.where': { en: '\nsample cache: {cache}\nvault: {vault}\nrestored: {restored}', zh: '\n示例缓存：{cache}\n仓库：{vault}\n恢复目录：{restored}' },
  'clean.noSources': { en: 'no source named, and device {device} has archived none; name the folders to clean', zh: '未指定来源，且设备 {device} 没有归档过任何文件夹；请指定要清理的文件夹' },
  'clean.needYes': { en: 'clean deletes {count} files ({bytes}) and asks first, but this is not a terminal; add --yes to delete (preview: {preview})', zh: '清理将删除 {count} 个文件（{bytes}），需要确认，但当前不是终端；请加 --yes 确认删除（预览：{preview}）' },
  'clean.appRunning': { en: 'QQ or WeChat is running ({apps}); close it first, or add --force', zh: 'QQ 或微信正在运行（{apps}）；请先退出，或加 --force' },
  'clean.dryRun': { en: 'dry run: nothing was deleted. This is what clean would do:', zh: '演练：未删除任何文件。清理将会：' },
  'clean.wouldDelete': { en: 'delete', zh: '删除' },
  'clean.keptBecause': { en: '{count} files stay: {reason}', zh: '{count} 个文件保留：{reason}' },
  'clean.planSummary': { en: '{count} files can go, freeing {bytes}; {kept} selected files stay', zh: '可删除 {count} 个文件，释放 {bytes}；{kept} 个选中文件保留' },
  'clean.ask': { en: 'Delete {count} files ({bytes})? Every one is in the vault and verified. Preview: {preview}', zh: '删除 {count} 个文件（{bytes}）？它们都已在仓库中并通过校验。预览：{preview}' },
  'clean.cancelled': { en: 'nothing deleted', zh: '未删除任何文件' },
  'clean.done': { en: '{count} files deleted, {bytes} freed, {folders} emptied folders removed', zh: '已删除 {count} 个文件，释放 {bytes}，移除 {folders} 个空文件夹' },
  'clean.preview': { en: 'preview of what went: {preview}', zh: '已删除内容的预览：{preview}' },
  'archive.cleanAfterDryRun': { en: 'with --clean, the archived originals would then be deleted (after a confirmation)', zh: '加 --clean 时，归档后的原文件随后会被删除（需确认）' },
  'keep.not-in-vault': { en: 'not in the vault (archive them first)', zh: '不在仓库中（请先归档）' },
  'keep.changed': { en: 'changed since they were archived', zh: '归档后已被修改' },
  'keep.archive-unverified': { en: 'their archive is not verified (run verify)', zh: '所在归档未通过校验（请运行 verify）' },
  'keep.archive-missing': { en: 'their archive is missing from the vault', zh: '所在归档已从仓库中丢失' },
  'keep.other-device': { en: 'archived from another device', zh: '由其他设备归档' },
  'skip.not-in-vault': { en: 'not in the vault', zh: '不在仓库中' },
  'skip.archive-unverified': { en: 'its archive is not verified', zh: '所在归档未校验' },
  'skip.archive-missing': { en: 'its archive is missing', zh: '所在归档缺失' },
  'skip.changed-since-plan': { en: 'changed since it was archived (kept)', zh: '归档后已被修改（已保留）' },
  'skip.vanished': { en: 'no longer there', zh: '文件已不存在' },
  'skip.delete-failed': { en: 'could not be deleted', zh: '无法删除' },
  'skip.outside-sources': { en: 'outside the named sources (kept)', zh: '不在指定来源内（已保留）' },
  'skip.protected': { en: 'an app database or setting (never deleted)', zh: '应用数据库或设置（永不删除）' },
  'phase.clean': { en: 'cleaning', zh: '清理' },
  'col.when': { en: 'when', zh: '时间' },
  'col.command': { en: 'command', zh: '命令' },
  'col.outcome': { en: 'outcome', zh: '结果' },
  'col.skipped': { en: 'skipped', zh: '跳过' },
  'col.state': { en: 'state', zh: '状态' },
  'col.selection': { en: 'selection', zh: '条件' },
  'state.archived': { en: 'archived', zh: '已归档' },
  'state.cleaned': { en: 'cleaned', zh: '已清理' },
  'state.restored': { en: 'restored', zh: '已恢复' },
  'log.empty': { en: 'no runs recorded yet', zh: '尚无运行记录' },
  'discover.found': { en: 'found {app} cache: {path}', zh: '找到 {app} 缓存：{path}' },
  'discover.none': { en: 'no QQ or WeChat cache found on this machine; name a folder to scan. Looked in: {places}', zh: '本机未找到 QQ 或微信缓存；请指定要扫描的文件夹。查找过：{places}' },
  'app.QQ': { en: 'QQ', zh: 'QQ' },
  'app.WeChat': { en: 'WeChat', zh: '微信' },
  'app.WeChat 4': { en: 'WeChat 4', zh: '微信 4' },
  'kind.original': { en: 'original', zh: '原图' },
  'kind.thumb': { en: 'thumbnail', zh: '缩略图' },
  'kind.sticker': { en: 'sticker', zh: '表情' },
  'by.source': { en: 'layout', zh: '类型' },
  'by.chat': { en: 'chat', zh: '聊天' },
  'by.kind': { en: 'kind', zh: '种类' },
  'restore.notDecoded': { en: '{count} .dat files could not be decoded and were restored as they are', zh: '{count} 个 .dat 文件无法解码，已按原样恢复' },
  'yes': { en: 'yes', zh: '是' },
  'no': { en: 'no', zh: '否' },
};

export function detectLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  if (flag === 'zh' || flag === 'en') return flag;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, params = {}) => {
    const text = MESSAGES[key]?.[lang] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** Every key has both languages (checked by a test). */
export const messageKeys = () => Object.keys(MESSAGES);
export const hasMessage = (key: string) => key in MESSAGES;
