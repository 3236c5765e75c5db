import type { Messages } from '../types.js';

/**
 * Help, in both languages: every command, argument and option description, and commander's own
 * words. A command gives its texts as keys of this table (`.description('help.archive')`,
 * `.option('--to <vault>', 'help.archive.to')`); src/cli/help.ts translates them when help is
 * shown, and test/help.test.ts fails on any help text that is not a key here.
 *
 * Keys: `help.<command>` describes a command, `help.<command>.<option>` one of its options or
 * arguments (the option's name in camelCase). A new command adds its own section below, in the
 * place marked for it.
 */
export const help: Messages = {
  // Commander's own words.
  'help.usage': { en: 'Usage:', zh: '用法：' },
  'help.arguments': { en: 'Arguments:', zh: '参数：' },
  'help.options': { en: 'Options:', zh: '选项：' },
  'help.globalOptions': { en: 'Global options (every command):', zh: '全局选项（所有命令通用）：' },
  'help.commands': { en: 'Commands:', zh: '命令：' },
  'help.default': { en: '(default: {value})', zh: '（默认：{value}）' },
  'help.choices': { en: '(one of: {choices})', zh: '（可选：{choices}）' },
  'help.help': { en: 'display help for command', zh: '显示命令的帮助' },
  'help.helpCommand': { en: 'display help for a command', zh: '显示某个命令的帮助' },
  'help.version': { en: 'output the version number', zh: '显示版本号' },

  'help.program': {
    en: 'back up, then clean, the image caches of QQ and WeChat: pictures are copied into a vault (dated zip archives and a catalogue), checked, and only then deleted; restore brings any of them back',
    zh: '先备份、再清理 QQ 和微信的图片缓存：图片复制进仓库（按月份存放的 zip 归档和一个目录数据库），校验无误后才删除；restore 可找回任意图片',
  },

  // Options every command takes (defined once, on the program).
  'help.global.json': {
    en: 'print one JSON document on stdout (catalog list and catalog log: JSON lines); errors too: {"error": {"exit": N, "message": "…"}}',
    zh: '在标准输出打印一个 JSON 文档（catalog list 和 catalog log 为 JSON lines，每行一个）；出错时也是：{"error": {"exit": N, "message": "…"}}',
  },
  'help.global.quiet': { en: 'no progress bars and no chatter: results and errors only', zh: '安静：不显示进度条和提示，只显示结果和错误' },
  'help.global.noProgress': { en: 'no progress bars', zh: '不显示进度条' },
  'help.global.lang': { en: 'language of messages and help (default: from LC_ALL, LC_MESSAGES, LANG)', zh: '消息和帮助的语言（默认取自 LC_ALL、LC_MESSAGES、LANG）' },

  // Shared by several commands.
  'help.vault': { en: 'the vault folder (default: PICVAULT_VAULT)', zh: '仓库文件夹（默认：PICVAULT_VAULT）' },
  'help.deviceName': {
    en: 'the name of this device: what archive records, and whose files clean deletes, restore puts back in place and repair tries as copies (default: PICVAULT_DEVICE, else the host name)',
    zh: '本设备的名称：archive 记录的设备名，也决定 clean 删除、restore 原位恢复、repair 用作副本的是哪台设备的文件（默认：PICVAULT_DEVICE，否则为主机名）',
  },
  'help.select.before': { en: 'dated strictly before YYYY-MM[-DD] (2024-06 = up to the end of May 2024)', zh: '日期早于 YYYY-MM[-DD]（不含；2024-06 即截至 2024 年 5 月底）' },
  'help.select.since': { en: 'dated on or after YYYY-MM[-DD]', zh: '日期不早于 YYYY-MM[-DD]（含）' },
  'help.select.month': { en: 'dated in YYYY-MM', zh: '日期在 YYYY-MM 这个月' },
  'help.select.hash': { en: 'full hash or unique prefix of at least 6 hex digits', zh: '完整哈希，或至少 6 位且唯一的十六进制前缀' },
  'help.select.path': { en: 'path glob (a glob without "/" matches file names at any depth)', zh: '路径通配符（不含 "/" 时匹配任意层级的文件名）' },
  'help.select.minSize': { en: 'at least this size, e.g. 2MB', zh: '不小于此大小，如 2MB' },
  'help.select.source': { en: 'qq|qqnt|wechat|wechat4|android|folder, in any case, as scan prints them (repeatable)', zh: 'qq|qqnt|wechat|wechat4|android|folder，不分大小写，与 scan 显示的一致（可重复）' },
  'help.select.kind': { en: 'original|thumb|sticker, or as scan --by kind prints them: thumbnail… (repeatable)', zh: 'original|thumb|sticker，或 scan --by kind 显示的词：原图|缩略图|表情（可重复）' },
  'help.select.chat': { en: 'the chat folder (md5, or a prefix) of QQNT / WeChat layouts (repeatable)', zh: 'QQNT / 微信的聊天文件夹（md5 或其前缀，可重复）' },
  'help.select.device': {
    en: 'a filter: places archived from this device (repeatable); not this device\'s name, which is --device-name',
    zh: '筛选：由该设备归档的位置（可重复）；本设备的名称请用 --device-name',
  },
  'help.wechatKey': { en: 'WeChat 4.x account key (16 characters, or 32 hex digits as img_key), to decode V2 .dat images', zh: '微信 4.x 账号密钥（16 个字符，或 img_key 的 32 位十六进制），用于解码 V2 .dat 图片' },

  // scan
  'help.scan': { en: 'what is there: a year/month table of images and bytes per source', zh: '查看有什么：按来源列出每年每月的图片数和大小' },
  'help.scan.source': { en: 'folders to look in (default: the QQ and WeChat caches of this machine)', zh: '要查看的文件夹（默认：本机的 QQ 和微信缓存）' },
  'help.scan.by': { en: 'one table per source (qq, qqnt, wechat…), chat or kind: source|chat|kind', zh: '按来源（qq、qqnt、wechat…）、聊天或种类分表：source|chat|kind（来源|聊天|种类）' },

  // archive
  'help.archive': { en: 'copy images into the vault as dated, content-hashed zips and verify them; originals are kept', zh: '把图片按日期、按内容哈希复制进仓库的 zip 归档并校验；原文件保留' },
  'help.archive.source': { en: 'folders to archive (default: the QQ and WeChat caches of this machine)', zh: '要归档的文件夹（默认：本机的 QQ 和微信缓存）' },
  'help.archive.to': { en: 'the vault folder (created if missing; default: PICVAULT_VAULT)', zh: '仓库文件夹（不存在则创建；默认：PICVAULT_VAULT）' },
  'help.archive.vault': { en: 'same as --to', zh: '同 --to' },
  'help.archive.dryRun': { en: 'say what would be archived, write nothing', zh: '演练：说明将归档什么，不写入任何内容' },
  'help.archive.maxArchiveSize': { en: 'split a month into parts past this size (FAT32 drives hold up to 4 GB a file)', zh: '单个归档超过此大小时分卷（FAT32 磁盘单个文件不超过 4 GB）' },
  'help.archive.clean': { en: 'then delete the archived originals (asks first, like clean)', zh: '归档后删除已归档的原文件（像 clean 一样先确认）' },

  // clean
  'help.clean': { en: 'delete originals that are provably safe in the vault', zh: '删除已确认安全存入仓库的原文件' },
  'help.clean.source': { en: 'folders to clean (default: the folders this device archived from)', zh: '要清理的文件夹（默认：本设备归档过的文件夹）' },
  'help.clean.dryRun': { en: 'say what would be deleted and what stays, change nothing (a summary; --list or --json for every file)', zh: '演练：说明将删除什么、保留什么，不做任何改动（只显示汇总；--list 或 --json 列出每个文件）' },
  'help.clean.list': { en: 'with --dry-run: list every file that would be deleted', zh: '与 --dry-run 同用：列出每个将被删除的文件' },
  'help.clean.yes': { en: 'delete without asking (needed off a terminal)', zh: '不询问直接删除（非终端环境下必须加）' },
  'help.clean.preview': { en: 'write the contact sheet of the images about to go here, and keep it', zh: '把即将删除的图片的预览拼图写到此文件并保留' },
  'help.clean.force': { en: 'clean even while QQ or WeChat is running', zh: '即使 QQ 或微信正在运行也清理' },

  // restore
  'help.restore': { en: 'bring files back from the vault, byte for byte, with their dates', zh: '从仓库找回文件，逐字节一致，保留原日期' },
  'help.restore.from': { en: 'the vault folder (default: PICVAULT_VAULT)', zh: '仓库文件夹（默认：PICVAULT_VAULT）' },
  'help.restore.vault': { en: 'same as --from', zh: '同 --from' },
  'help.restore.to': { en: 'restore under DIR/<device>/<original path> instead of the original places', zh: '恢复到 DIR/<设备>/<原路径>，而不是原位置' },
  'help.restore.root': { en: 'in place, also write inside DIR (repeatable); by default only inside folders this device archived from', zh: '原位恢复时，也允许写入 DIR（可重复）；默认只写入本设备归档过的文件夹' },
  'help.restore.overwrite': { en: 'never|if-different|always: what to do with a different file already at the target', zh: 'never|if-different|always：目标位置已有不同文件时如何处理' },
  'help.restore.dryRun': { en: 'say what would be restored, write nothing', zh: '演练：说明将恢复什么，不写入任何内容' },
  'help.restore.decode': { en: 'write WeChat .dat pictures decoded (.jpg, .png, .webp, ...) where the decoding is proven; the others as they are', zh: '把能确证解码的微信 .dat 图片解码后写出（.jpg、.png、.webp 等）；其余按原样写出' },

  // catalog
  'help.catalog': { en: 'browse the catalogue: months, list, show, devices, log', zh: '浏览目录：months、list、show、devices、log' },
  'help.catalog.months': { en: 'per month: files, distinct images, bytes, devices', zh: '按月：文件数、不同图片数、大小、设备' },
  'help.catalog.list': { en: 'every catalogued place, with the selection flags (--json: JSON lines, one place a line)', zh: '列出目录中的每个位置，可用筛选选项（--json：JSON lines，每行一个位置）' },
  'help.catalog.show': { en: 'one image: where it is stored and every place it was seen', zh: '一张图片：存放在哪里，以及出现过的每个位置' },
  'help.catalog.show.hash': { en: 'full hash or unique prefix', zh: '完整哈希或唯一前缀' },
  'help.catalog.devices': { en: 'per device: files, images, bytes, months', zh: '按设备：文件数、图片数、大小、月份' },
  'help.catalog.log': { en: 'every archive, clean, dedupe and restore run: its id, when, where, what, outcome (--json: JSON lines, one run a line)', zh: '每次 archive、clean、dedupe、restore 运行：编号、时间、设备、内容、结果（--json：JSON lines，每行一次运行）' },

  // verify
  'help.verify': { en: 'prove the vault is whole', zh: '校验仓库是否完好' },
  'help.verify.readData': { en: 're-hash every image in every archive', zh: '重新计算每个归档中每张图片的哈希' },

  // reindex
  'help.reindex': { en: 'rebuild the catalogue from the archives alone', zh: '仅凭归档重建目录数据库' },

  // demo
  'help.demo': { en: 'the whole story on a built-in sample cache: scan, archive, verify, clean, restore', zh: '用内置示例缓存走一遍完整流程：scan、archive、verify、clean、restore' },
  'help.demo.dir': { en: 'build it in this new or empty folder and keep it (default: a temp folder, removed at the end)', zh: '在这个新的或空的文件夹中进行并保留结果（默认：临时文件夹，结束时删除）' },

  // repair
  'help.repair': {
    en: 're-store what verify found damaged, from any good copy, and move the damaged archives aside',
    zh: '从任何完好的副本重新存储 verify 发现受损的内容，并把损坏的归档移到一旁',
  },
  'help.repair.source': { en: 'folders that may hold good copies of the damaged pictures', zh: '可能存有受损图片完好副本的文件夹' },
  'help.repair.vault': { en: 'the vault to repair', zh: '要修复的仓库' },
  'help.repair.fromVault': { en: 'another vault that may hold good copies', zh: '可能存有完好副本的另一个仓库' },
  'help.repair.dryRun': { en: 'say what would be stored again and moved, change nothing', zh: '只说明将重新存储和移走哪些内容，不做任何更改' },

  // dedupe
  'help.dedupe': { en: 'identical, same-picture and similar copies: which stays, what would be freed; --clean removes the others', zh: '找出完全相同、同一图片和相似的副本：保留哪一个、可释放多少；--clean 删除其余副本' },
  'help.dedupe.source': { en: 'folders to look in (default: the QQ and WeChat caches of this machine)', zh: '要查找的文件夹（默认：本机的 QQ 和微信缓存）' },
  'help.dedupe.vault': { en: 'also compare with every picture the vault holds from other devices (needed by --clean and marks; default: PICVAULT_VAULT)', zh: '也与仓库中来自其他设备的每张图片比对（--clean 和标记需要；默认：PICVAULT_VAULT）' },
  'help.dedupe.against': { en: 'reference folders: read and matched, never changed (give the sources first)', zh: '参照文件夹：只读取和比对，从不改动（请先写来源文件夹）' },
  'help.dedupe.similar': { en: 'also similar pictures: picture hashes at most N bits apart of 256 (default 60)', zh: '也找相似图片：图片指纹相差不超过 N 位（共 256 位，默认 60）' },
  'help.dedupe.keep': { en: 'keep rules to apply first, comma-separated: reference,original,pixels,size,date,path', zh: '优先应用的保留规则，逗号分隔：reference,original,pixels,size,date,path' },
  'help.dedupe.clean': { en: 'remove the copies that do not stay (each archived and verified first; asks first)', zh: '删除不保留的副本（每个都先归档并校验；会先询问）' },
  'help.dedupe.yes': { en: 'remove without asking (needed off a terminal)', zh: '不询问直接删除（非终端环境下必须加）' },
  'help.dedupe.dryRun': { en: 'with --clean: say what would be archived and removed, change nothing', zh: '与 --clean 同用：说明将归档和删除什么，不做任何改动' },
  'help.dedupe.force': { en: 'clean even while QQ or WeChat is running', zh: '即使 QQ 或微信正在运行也清理' },
  'help.dedupe.sheet': { en: 'write a contact sheet (PNG) of the largest groups here', zh: '把最大几组的预览拼图（PNG）写到此文件' },
  'help.dedupe.notDuplicate': { en: 'mark two pictures (hashes or unique prefixes) as not duplicates, in the vault', zh: '在仓库中把两张图片（哈希或唯一前缀）标记为不是重复' },
  'help.restore.run': { en: 'bring back what one clean or dedupe run removed (an undo; run ids in catalog log)', zh: '找回某次 clean 或 dedupe 运行删除的内容（撤销；运行编号见 catalog log）' },

  // serve
  'help.serve': { en: 'browse, search and restore in a local web page (127.0.0.1 only)', zh: '在本机网页中浏览、搜索和恢复（只监听 127.0.0.1）' },
  'help.serve.vault': { en: 'the vault folder (only read, but for the marks set on the duplicates page; default: PICVAULT_VAULT)', zh: '仓库文件夹（只读取，在重复图片页设置标记时除外；默认：PICVAULT_VAULT）' },
  'help.serve.port': { en: 'listen on this port (default: a random free one)', zh: '监听这个端口（默认：随机选一个空闲端口）' },
  'help.serve.open': { en: 'open the page in the default browser', zh: '用默认浏览器打开网页' },
};
