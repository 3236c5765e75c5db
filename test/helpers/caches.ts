import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import { sampleImage } from './images.js';

/**
 * Faithful cache layouts in a temp folder, from real images made by sharp. Each builder returns
 * the files it wrote with what picvault should make of them.
 */
export interface BuiltFile {
  path: string;
  /** The image inside (decoded, for .dat). */
  image: Buffer;
  source: string;
  kind: string;
  month: string;
  chat?: string;
  account?: string;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function put(file: string, bytes: Buffer, when: Date): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  await utimes(file, when, when);
}

/** A date inside a month, or (for layouts dated by file times) exactly this day. */
const day = (month: string, d = 12) => new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, d, 12);

/** QQ classic Group2: 23-character names with the odd characters QQ uses, two levels named after their first four. */
export async function buildQQ(account: string, seed = 100): Promise<BuiltFile[]> {
  const names = ['{A1B2C3D4E5F6G7H8I9J0K}', '[$%@(X)_~]abcdefghijklm', '~_(9)@%$[Z]{q}ABCDEFGHI', 'AB12{}[]$%@()_~xyzXYZ12'];
  const out: BuiltFile[] = [];
  for (const [i, name] of names.entries()) {
    const image = await sampleImage(seed + i, i === 1 ? 'gif' : 'jpeg');
    // QQ saves GIFs as .jpg: the type must come from the bytes.
    const file = path.join(account, 'Image', 'Group2', name.slice(0, 2), name.slice(2, 4), `${name}.jpg`);
    const month = `2023-0${i + 1}`;
    await put(file, image, day(month));
    out.push({ path: file, image, source: 'qq', kind: 'original', month });
  }
  const c2c = path.join(account, 'Image', 'C2C', `${md5('c2c').toUpperCase()}.png`);
  const image = await sampleImage(seed + 9, 'png');
  await put(c2c, image, day('2023-06'));
  out.push({ path: c2c, image, source: 'qq', kind: 'original', month: '2023-06' });
  return out;
}

/** QQNT: nt_qq/nt_data/Pic/YYYY-MM/{Ori,Thumb}/<md5>_0|_720.<ext>, an Emoji folder, and nt_db beside. */
export async function buildQQNT(account: string, seed = 200): Promise<BuiltFile[]> {
  const data = path.join(account, 'nt_qq', 'nt_data');
  const out: BuiltFile[] = [];
  for (const [i, month] of ['2024-10', '2024-11'].entries()) {
    const image = await sampleImage(seed + i, 'jpeg');
    const thumb = await sampleImage(seed + 50 + i, 'jpeg', 48);
    const id = md5(`qqnt${seed}${i}`);
    // File times a month later than the folder: the folder's month wins.
    const ori = path.join(data, 'Pic', month, 'Ori', `${id}_0.jpg`);
    const th = path.join(data, 'Pic', month, 'Thumb', `${id}_720.jpg`);
    await put(ori, image, day('2025-01'));
    await put(th, thumb, day('2025-01'));
    out.push({ path: ori, image, source: 'qqnt', kind: 'original', month }, { path: th, image: thumb, source: 'qqnt', kind: 'thumb', month });
  }
  const sticker = await sampleImage(seed + 80, 'gif');
  const emoji = path.join(data, 'Emoji', 'emoji-recv', '2024-11', 'Ori', `${md5('emoji')}.gif`);
  await put(emoji, sticker, day('2024-11', 20));
  out.push({ path: emoji, image: sticker, source: 'qqnt', kind: 'sticker', month: '2024-11' });
  // The app's own databases: never archived, never cleaned.
  await put(path.join(account, 'nt_qq', 'nt_db', 'nt_msg.db'), Buffer.from('SQLite format 3\u0000 messages'), day('2024-11'));
  await put(path.join(account, 'nt_qq', 'nt_db', 'files_in_chat.db-wal'), Buffer.from('wal'), day('2024-11'));
  return out;
}

/** WeChat 3.x: FileStorage/Image/YYYY-MM and MsgAttach/<md5>/{Image,Thumb}/YYYY-MM, XOR .dat with several keys. */
export async function buildWeChat3(account: string, seed = 300): Promise<BuiltFile[]> {
  const fs = path.join(account, 'FileStorage');
  const out: BuiltFile[] = [];
  const formats = ['jpeg', 'png', 'gif'] as const;
  for (const [i, key] of [0x9f, 0x51, 0x3c].entries()) {
    const image = await sampleImage(seed + i, formats[i]);
    const file = path.join(fs, 'Image', '2023-11', `${md5(`w3${seed}${i}`)}.dat`);
    await put(file, encodeDat3(image, key), day('2024-02'));
    out.push({ path: file, image, source: 'wechat', kind: 'original', month: '2023-11' });
  }
  const chat = md5('family group');
  for (const [i, sub] of ['Image', 'Thumb'].entries()) {
    const image = await sampleImage(seed + 10 + i, 'jpeg', sub === 'Thumb' ? 40 : 96);
    const file = path.join(fs, 'MsgAttach', chat, sub, '2024-01', `${md5(`att${seed}${i}`)}.dat`);
    await put(file, encodeDat3(image, 0x9f), day('2024-03'));
    out.push({ path: file, image, source: 'wechat', kind: sub === 'Thumb' ? 'thumb' : 'original', month: '2024-01', chat });
  }
  await put(path.join(account, 'Msg', 'MSG0.db'), Buffer.from('SQLite format 3\u0000'), day('2024-01'));
  return out;
}

/** WeChat 4.x: msg/attach/<md5>/YYYY-MM/Img/<md5>[_t].dat, V1 and (with key) V2. */
export async function buildWeChat4(account: string, v2Key: string, seed = 400): Promise<BuiltFile[]> {
  const out: BuiltFile[] = [];
  const chat = md5('work chat');
  for (const [i, version] of ([1, 1, 2] as const).entries()) {
    const thumb = i === 1;
    const image = await sampleImage(seed + i, i === 2 ? 'png' : 'jpeg', thumb ? 48 : 128);
    const id = md5(`w4${seed}${i}`);
    const file = path.join(account, 'msg', 'attach', chat, '2024-05', 'Img', `${id}${thumb ? '_t' : ''}.dat`);
    const bytes = encodeDatV4(image, version, { key: version === 2 ? Buffer.from(v2Key) : undefined, aesLen: 1024, xorLen: 128, xorKey: 0x5a });
    await put(file, bytes, day('2024-08'));
    out.push({ path: file, image, source: 'wechat4', kind: thumb ? 'thumb' : 'original', month: '2024-05', chat });
  }
  return out;
}

/** Android: MicroMsg/<32hex>/image2/<2>/<2>/[th_]<md5>, no extension, dated by file times. */
export async function buildAndroid(microMsg: string, seed = 500): Promise<BuiltFile[]> {
  const account = path.join(microMsg, md5('android account'));
  const out: BuiltFile[] = [];
  for (const [i, prefix] of ['', 'th_'].entries()) {
    const image = await sampleImage(seed + i, 'jpeg', prefix ? 40 : 96);
    const id = md5(`a${seed}${i}`);
    const file = path.join(account, 'image2', id.slice(0, 2), id.slice(2, 4), `${prefix}${id}`);
    await put(file, image, day('2022-07', 3 + i));
    out.push({ path: file, image, source: 'android', kind: prefix ? 'thumb' : 'original', month: '2022-07' });
  }
  // Some pictures come in WeChat's HEVC wrapper, `wxgf` and then the stream: no image signature
  // any sniffer knows. (No real one is in the corpus; the wrapper's head is what matters here.)
  const wrapped = Buffer.concat([Buffer.from('wxgf'), Buffer.from([0x04, 0x00, 0x00, 0x00]), await sampleImage(seed + 7, 'jpeg', 64)]);
  const id = md5(`a${seed}wxgf`);
  const file = path.join(account, 'image2', id.slice(0, 2), id.slice(2, 4), id);
  await put(file, wrapped, day('2022-07', 9));
  out.push({ path: file, image: wrapped, source: 'android', kind: 'original', month: '2022-07' });
  return out;
}

/** A whole fake home with every layout in its default place (Chinese user name included). */
export async function buildFakeHome(home: string, v2Key = 'k3y0123456789abc'): Promise<{ files: BuiltFile[]; roots: Record<string, string> }> {
  const docs = path.join(home, 'Documents');
  const roots = {
    qq: path.join(docs, 'Tencent Files'),
    wechat: path.join(docs, 'WeChat Files'),
    wechat4: path.join(docs, 'xwechat_files'),
  };
  const files = [
    ...(await buildQQ(path.join(roots.qq, '12345678'))),
    ...(await buildQQNT(path.join(roots.qq, '87654321'))),
    ...(await buildWeChat3(path.join(roots.wechat, 'wxid_张三'))),
    ...(await buildWeChat4(path.join(roots.wechat4, 'wxid_abc_1f2e'), v2Key)),
  ];
  return { files, roots };
}

/**
 * The other layouts real tools describe, one or two pictures each, every JPEG carrying an EXIF
 * date (2011) that the layout's own rule must overrule, and a video beside the video thumbnails
 * that is not a picture. Dated by file times where the layout has no month folder.
 */
export async function buildMoreLayouts(root: string, seed = 600): Promise<{ files: BuiltFile[]; videos: string[] }> {
  const files: BuiltFile[] = [];
  const taken = '2011:01:02 03:04:05';
  const add = async (rel: string[], source: string, kind: string, month: string, chat?: string, format: 'jpeg' | 'png' = 'jpeg') => {
    const image = await sampleImage(seed + files.length, format, 64, format === 'jpeg' ? taken : undefined);
    const file = path.join(root, ...rel);
    // File times in a later month than any folder's: a folder month must win where there is one.
    await put(file, image, day(month.startsWith('2025') ? month : '2025-03', 5));
    files.push({ path: file, image, source, kind, month, chat });
  };
  const w3 = ['WeChat Files', 'wxid_w3', 'FileStorage'];
  await add([...w3, 'Cache', '2023-04', `${md5('c')}.jpg`], 'wechat', 'thumb', '2023-04');
  await add([...w3, 'Sns', 'Cache', '2023-05', md5('s')], 'wechat', 'original', '2023-05');
  await add([...w3, 'Fav', '2023-06', `${md5('f')}.jpg`], 'wechat', 'original', '2023-06');
  await add([...w3, 'Temp', `${md5('t')}.png`], 'wechat', 'original', '2025-03', undefined, 'png');
  await add([...w3, 'Video', '2023-07', `${md5('v')}.jpg`], 'wechat', 'thumb', '2023-07');
  const w4 = ['xwechat_files', 'wxid_w4_9a8b'];
  const chat = md5('w4 chat');
  await add([...w4, 'cache', '2024-02', 'Message', chat, 'Thumb', `${md5('m')}_t.jpg`], 'wechat4', 'thumb', '2024-02', chat);
  await add([...w4, 'cache', '2024-03', 'Sns', 'Img', 'ab', md5('sns')], 'wechat4', 'original', '2024-03');
  await add([...w4, 'business', 'emoticon', 'Temp', md5('e1')], 'wechat4', 'sticker', '2025-03', undefined, 'png');
  await add([...w4, 'business', 'emoticon', 'Thumb', md5('e2')], 'wechat4', 'sticker', '2025-03', undefined, 'png');
  await add([...w4, 'msg', 'video', '2024-04', `${md5('vid')}_thumb.jpg`], 'wechat4', 'thumb', '2024-04');
  const mac = ['com.tencent.xinWeChat', '2.0b4.0.9', md5('mac account'), 'Message', 'MessageTemp', md5('mac chat'), 'Image'];
  await add([...mac, '1234.jpg'], 'wechat', 'original', '2025-03', md5('mac chat'));
  await add([...mac, '1234_thumb.jpg'], 'wechat', 'thumb', '2025-03', md5('mac chat'));
  const nt = ['Tencent Files', '424242', 'nt_qq', 'nt_data'];
  await add([...nt, 'Video', '2024-05', 'Thumb', `${md5('qv')}_0.png`], 'qqnt', 'thumb', '2024-05', undefined, 'png');
  await add([...nt, 'File', '2024-06', 'Ori', `${md5('qf')}.jpg`], 'qqnt', 'original', '2024-06');
  await add(['QQ', 'nt_qq_0a1b2c3d4e5f', 'nt_data', 'Pic', '2024-07', 'Ori', `${md5('mac qq')}.jpg`], 'qqnt', 'original', '2024-07');
  files[files.length - 1].account = 'nt_qq_0a1b2c3d4e5f';
  const micro = ['tencent', 'MicroMsg', md5('android account')];
  await add([...micro, 'emoji', md5('emoji')], 'android', 'sticker', '2025-03', undefined, 'png');
  await add([...micro, 'sns', md5('sns android')], 'android', 'original', '2025-03');
  const chatpic = ['Tencent', 'MobileQQ', 'chatpic'];
  await add([...chatpic, 'chatimg', '8a1', `Cache_${md5('ci').slice(0, 12)}`], 'qq', 'original', '2025-03');
  await add([...chatpic, 'chatthumb', '8a1', `Cache_${md5('ct').slice(0, 12)}`], 'qq', 'thumb', '2025-03');
  await add([...chatpic, 'chatraw', '8a1', `Cache_${md5('cr').slice(0, 12)}`], 'qq', 'original', '2025-03');
  // Videos beside their thumbnails, and a database: none of them is a picture to archive.
  const videos = [
    path.join(root, ...w3, 'Video', '2023-07', `${md5('v')}.mp4`),
    path.join(root, ...w4, 'msg', 'video', '2024-04', `${md5('vid')}.mp4`),
    path.join(root, ...nt, 'Video', '2024-05', 'Ori', `${md5('qv')}.mp4`),
  ];
  for (const v of videos) await put(v, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(64)]), day('2025-03'));
  await put(path.join(root, ...w4, 'db_storage', 'message', 'message_0.db'), Buffer.from('SQLite format 3\u0000'), day('2025-03'));
  return { files, videos };
}
