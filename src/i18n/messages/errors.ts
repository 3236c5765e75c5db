import type { Messages } from '../types.js';

/** Errors the user can act on: bad input, vaults that cannot be opened, a run the system stopped. */
export const errors: Messages = {
  'source.missing': { en: 'source folder not found: {source}', zh: '找不到来源文件夹：{source}' },
  'source.notFolder': { en: 'not a folder: {source}', zh: '不是文件夹：{source}' },
  'vault.isFile': { en: '{vault} is a file, not a folder: a vault is a folder', zh: '{vault} 是文件而不是文件夹：仓库必须是文件夹' },
  'path.windowsOnly': {
    en: '{flag} {value} is a Windows path, and this is {system}: give a path of this machine, such as /mnt/backup or ./backup (a USB drive is under /media or /mnt on Linux, /Volumes on macOS)',
    zh: '{flag} {value} 是 Windows 路径，而本机是 {system}：请给出本机的路径，如 /mnt/backup 或 ./backup（U 盘在 Linux 上位于 /media 或 /mnt，在 macOS 上位于 /Volumes）',
  },
  'range.empty': {
    en: '{flags} select no day (none is on or after {since} and before {before}); check the dates',
    zh: '{flags} 选不到任何日期（没有日期既不早于 {since} 又早于 {before}）；请检查日期',
  },
  'vault.missing': { en: 'no vault at {vault} (the folder does not exist)', zh: '{vault} 没有仓库（文件夹不存在）' },
  'vault.notVault': { en: 'not a picvault vault: {vault} (no picvault.db, no archives/)', zh: '不是 picvault 仓库：{vault}（没有 picvault.db 和 archives/）' },
  'vault.noCatalog': { en: 'the vault {vault} has archives but no catalogue; run: picvault reindex --vault {vault}', zh: '仓库 {vault} 有归档但没有目录数据库；请运行：picvault reindex --vault {vault}' },
  'vault.noCatalog.readOnly': {
    en: 'the vault {vault} has archives but no catalogue, and it is read-only: copy the vault to a writable drive and run picvault reindex --vault <the copy> there',
    zh: '仓库 {vault} 有归档但没有目录数据库，且仓库只读：请将仓库复制到可写的磁盘，再对副本运行 picvault reindex --vault <副本>',
  },
  'vault.badCatalog': { en: 'the catalogue of {vault} cannot be read ({reason}); `picvault reindex` rebuilds it from the archives', zh: '无法读取 {vault} 的目录数据库（{reason}）；`picvault reindex` 可从归档重建' },
  'vault.badCatalog.readOnly': {
    en: 'the catalogue of {vault} cannot be read ({reason}), and the vault is read-only: copy the vault to a writable drive and run picvault reindex --vault <the copy> there',
    zh: '无法读取 {vault} 的目录数据库（{reason}），且仓库只读：请将仓库复制到可写的磁盘，再对副本运行 picvault reindex --vault <副本>',
  },
  'vault.emptyCatalog': {
    en: 'the catalogue {vault}/picvault.db is an empty file (0 bytes): it was lost, the vault is not empty; run: picvault reindex --vault {vault}',
    zh: '目录数据库 {vault}/picvault.db 是空文件（0 字节）：目录已丢失，并非空仓库；请运行：picvault reindex --vault {vault}',
  },
  'vault.emptyCatalog.readOnly': {
    en: 'the catalogue {vault}/picvault.db is an empty file (0 bytes): it was lost, the vault is not empty; the vault is read-only, so copy it to a writable drive and run picvault reindex --vault <the copy> there',
    zh: '目录数据库 {vault}/picvault.db 是空文件（0 字节）：目录已丢失，并非空仓库；仓库只读，请将其复制到可写的磁盘，再对副本运行 picvault reindex --vault <副本>',
  },
  'vault.catalogNotFile': {
    en: '{vault}/picvault.db is not a file (a folder?), so it is no catalogue; move it aside and run: picvault reindex --vault {vault}',
    zh: '{vault}/picvault.db 不是文件（是文件夹？），不是目录数据库；请将其移走，再运行：picvault reindex --vault {vault}',
  },
  'vault.catalogNotFile.readOnly': {
    en: '{vault}/picvault.db is not a file (a folder?), so it is no catalogue, and the vault is read-only: copy its archives folder to a writable drive and run picvault reindex --vault <the copy> there',
    zh: '{vault}/picvault.db 不是文件（是文件夹？），不是目录数据库，且仓库只读：请将其 archives 文件夹复制到可写的磁盘，再对副本运行 picvault reindex --vault <副本>',
  },
  'vault.readOnlyWal': {
    en: 'the vault {vault} is read-only, and its catalogue\'s last changes are in picvault.db-wal without the picvault.db-shm needed to read them here: copy the vault folder to a writable drive and use the copy',
    zh: '仓库 {vault} 为只读，其目录数据库最近的更改在 picvault.db-wal 中，但缺少读取所需的 picvault.db-shm：请将仓库文件夹复制到可写的磁盘并使用副本',
  },
  'vault.unwritable': { en: 'cannot write to the vault {vault} ({reason})', zh: '无法写入仓库 {vault}（{reason}）' },
  'vault.locked': { en: 'the vault is in use by another picvault run (pid {pid} on {host}, since {since}); if no run is active, delete {lock}', zh: '仓库正被另一个 picvault 进程使用（{host} 上的 pid {pid}，开始于 {since}）；若确无进程在运行，请删除 {lock}' },
  'vault.required': { en: 'name the vault with --vault DIR (or set PICVAULT_VAULT)', zh: '请用 --vault DIR 指定仓库（或设置 PICVAULT_VAULT）' },
  'catalog.newer': { en: 'this catalogue was written by a newer picvault (migration {applied}); please upgrade picvault', zh: '此目录数据库由更新版本的 picvault 写入（迁移 {applied}）；请升级 picvault' },
  'catalog.outdated': {
    en: 'the catalogue was written by an older picvault and needs an upgrade, which cannot be written to this read-only vault; run picvault once where the vault is writable, or on a copy of it',
    zh: '目录数据库由旧版 picvault 写入，需要升级，但无法写入此只读仓库；请在仓库可写时运行一次 picvault，或对其副本运行',
  },
  'device.bad': {
    en: 'a device name must be one a folder can have: not empty, not . or .., no / \\ : * ? " < > | or control characters, no space at either end, at most 128 bytes (--device-name, PICVAULT_DEVICE): {name}',
    zh: '设备名必须能用作文件夹名：不能为空，不能是 . 或 ..，不能含 / \\ : * ? " < > | 或控制字符，首尾不能有空格，最多 128 字节（--device-name、PICVAULT_DEVICE）：{name}',
  },
  'hash.unknown': { en: 'no image in the vault has a hash starting with {hash}', zh: '仓库中没有哈希以 {hash} 开头的图片' },
  'hash.ambiguous': { en: 'more than one image has a hash starting with {hash}; give more digits', zh: '有多张图片的哈希以 {hash} 开头；请多输入几位' },
  'hash.bad': { en: 'not a hash or hash prefix (6 to 16 hex digits): {value}', zh: '不是哈希或哈希前缀（6 到 16 位十六进制）：{value}' },
  'date.bad': { en: '{flag} wants YYYY-MM or YYYY-MM-DD, a real date: {value}', zh: '{flag} 需要真实日期，格式 YYYY-MM 或 YYYY-MM-DD：{value}' },
  'month.bad': { en: '--month wants YYYY-MM: {value}', zh: '--month 需要 YYYY-MM 格式：{value}' },
  'size.bad': { en: '{flag} wants a size such as 500KB, 2MB or 1.5GB: {value}', zh: '{flag} 需要大小，如 500KB、2MB 或 1.5GB：{value}' },
  'wechatKey.bad': {
    en: '--wechat-key wants the WeChat 4.x image key: 16 characters, or 32 hex digits (img_key as chatlog and similar tools print it): {value}',
    zh: '--wechat-key 需要微信 4.x 图片密钥：16 个字符，或 32 位十六进制（chatlog 等工具显示的 img_key）：{value}',
  },
  'wechatKey.hexLength': {
    en: '--wechat-key has {length} hex digits; the key is 16 characters or 32 hex digits (img_key): {value}',
    zh: '--wechat-key 有 {length} 位十六进制；密钥应为 16 个字符或 32 位十六进制（img_key）：{value}',
  },
  'choice.bad': { en: '{flag} must be one of {choices}: {value}', zh: '{flag} 只能是 {choices} 之一：{value}' },
  'usage.unknownOption': { en: 'unknown option {option}; see {help}', zh: '未知选项 {option}；请参阅 {help}' },
  'usage.unknownCommand': { en: 'unknown command {command}; see {help}', zh: '未知命令 {command}；请参阅 {help}' },
  'usage.optionNeedsValue': { en: '{option} needs a value; see {help}', zh: '{option} 需要一个值；请参阅 {help}' },
  'usage.missingArgument': { en: '{argument} is missing; see {help}', zh: '缺少 {argument}；请参阅 {help}' },
  'usage.excessArguments': { en: 'too many arguments ({got} given, {expected} expected); see {help}', zh: '参数过多（给了 {got} 个，需要 {expected} 个）；请参阅 {help}' },
  'usage.other': { en: '{detail}', zh: '{detail}' },
  'interrupted': { en: 'interrupted; the next run finishes or rolls back cleanly', zh: '已中断；下次运行会干净地完成或回滚' },
  'interrupted.asked': { en: 'interrupted at the question; nothing was changed', zh: '在询问时中断；未做任何改动' },
  'bug': { en: 'picvault failed unexpectedly: {detail}', zh: 'picvault 意外出错：{detail}' },
  'io.stoppedAt': {
    en: 'stopped at {path}: {reason} ({code}). Nothing is lost: what was done is kept, and the same command, run again once that is fixed, does the rest',
    zh: '在 {path} 处停止：{reason}（{code}）。没有丢失任何内容：已完成的部分都已保留，问题解决后再次运行同一命令即可完成其余部分',
  },
  'io.stopped': {
    en: 'stopped: {reason} ({code}). Nothing is lost: what was done is kept, and the same command, run again once that is fixed, does the rest',
    zh: '已停止：{reason}（{code}）。没有丢失任何内容：已完成的部分都已保留，问题解决后再次运行同一命令即可完成其余部分',
  },
  'io.ENOSPC': { en: 'the disk is full', zh: '磁盘已满' },
  'io.EDQUOT': { en: 'the disk quota is used up', zh: '磁盘配额已用完' },
  'io.EACCES': { en: 'permission denied', zh: '没有权限' },
  'io.EROFS': { en: 'the drive is read-only', zh: '磁盘为只读' },
  'io.EIO': { en: 'the disk reported a read or write error', zh: '磁盘报告了读写错误' },
  'io.EMFILE': { en: 'too many files are open', zh: '打开的文件过多' },
  'io.EBUSY': { en: 'the file is in use by another program', zh: '文件正被其他程序使用' },
  'catalog.totals': { en: '{archives|# archive|# archives}, {images|# distinct image|# distinct images} in {locations|# place|# places}; stored {stored}', zh: '{archives} 个归档，{images} 张不同图片，共 {locations} 个位置；存储 {stored}' },
  'catalog.empty': { en: 'the vault is empty', zh: '仓库是空的' },
};
