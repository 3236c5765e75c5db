import type { Messages } from '../types.js';

/** demo: the whole story in a few lines. */
export const demo: Messages = {
  'demo.intro': {
    en: 'picvault demo: a sample chat cache of {count|# picture|# pictures} is backed up, checked, cleaned and brought back, in {dir}',
    zh: 'picvault 演示：把一个含 {count} 张图片的示例聊天缓存备份、校验、清理再找回，位置：{dir}',
  },
  'demo.vault': {
    en: 'A vault is the folder picvault keeps your pictures in: zip archives by month, which any zip tool opens, and a catalogue (picvault.db) of every place each picture was seen. A picture is stored once, however many chats it was in.',
    zh: '仓库（vault）是 picvault 存放图片的文件夹：按月份存放的 zip 归档（任何 zip 工具都能打开），加上记录每张图片出现位置的目录数据库（picvault.db）。同一张图片无论出现在多少个聊天里，只存一份。',
  },
  'demo.step': { en: '\n{n}. picvault {command}', zh: '\n{n}. picvault {command}' },
  'demo.scan': { en: '   {files|# picture|# pictures}, {bytes}, in {months|# month|# months}', zh: '   {files} 张图片，{bytes}，分布在 {months} 个月' },
  'demo.archive': {
    en: '   {selected|# picture|# pictures} dated before {before}: {stored|# picture|# pictures} stored in {archives|# zip archive|# zip archives} ({storedBytes}), {duplicates|# copy|# copies} of a picture already stored only recorded. The originals are untouched.',
    zh: '   {before} 之前的 {selected} 张图片：{stored} 张存入 {archives} 个 zip 归档（{storedBytes}），{duplicates} 个重复副本只登记不重复存储。原文件未做改动。',
  },
  'demo.verify': { en: '   every archive read back and {images|# picture|# pictures} re-hashed: the vault is whole', zh: '   每个归档都已读回，{images} 张图片重新计算了哈希：仓库完好' },
  'demo.verifyDamaged': { en: '   the vault is damaged (see picvault verify)', zh: '   仓库已损坏（见 picvault verify）' },
  'demo.preview': {
    en: '   clean first shows a preview of what goes ({preview}: a contact sheet) and asks; --yes answers for it',
    zh: '   清理前会先生成将被删除图片的预览（{preview}：拼图）并询问；--yes 表示直接确认',
  },
  'demo.clean': {
    en: '   {deleted|# file|# files} deleted, {bytes} freed; {stayed|# file|# files} dated {before} or later {stayed|stays|stay} (not archived)',
    zh: '   删除 {deleted} 个文件，释放 {bytes}；{before} 及之后的 {stayed} 个文件（未归档）保留',
  },
  'demo.restore': {
    en: '   {restored|# file|# files} of {month} back in {restored|its place|their places}, byte for byte, with {restored|its date|their dates}: {ok}',
    zh: '   {month} 的 {restored} 个文件已回到原位置，逐字节一致，日期不变：{ok}',
  },
  'demo.freed': {
    en: '\nFreed {freed}: clean took {cleaned} off the cache and restore brought {restored} back. Everything cleaned is in the vault, ready to restore.',
    zh: '\n共释放 {freed}：清理从缓存中删除了 {cleaned}，恢复找回了 {restored}。所有被清理的文件都在仓库中，随时可以恢复。',
  },
  'demo.removed': {
    en: 'The sample, its vault and the preview were in a temp folder, now removed. To keep them and look inside: picvault demo --dir DIR',
    zh: '示例缓存、仓库和预览都在临时文件夹中，现已删除。若想保留并查看：picvault demo --dir 文件夹',
  },
  'demo.keptIn': {
    en: 'Everything is in {dir}: cache/, vault/ and preview.png. Delete that folder when you are done.',
    zh: '所有内容都在 {dir}：cache/、vault/ 和 preview.png。看完后删除该文件夹即可。',
  },
  'demo.dirNotEmpty': {
    en: '{dir} is not a new or empty folder: the demo deletes files in its folder, so give it a new or empty one',
    zh: '{dir} 不是新的或空的文件夹：演示会删除其中的文件，请指定一个新的或空的文件夹',
  },
};
