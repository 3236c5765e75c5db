import { copyFile, mkdir, readFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import { putFile, sampleImage } from './images.js';
import { CORPUS } from './vault.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** A real WeChat 3.x .dat (key 0x9F) and the JPEG it hides, from the corpus. */
export const corpusColor = async () => ({
  jpeg: await readFile(path.join(CORPUS, 'wechat-dat2picture/sample/color.jpg')),
  dat9f: await readFile(path.join(CORPUS, 'wechat-dat2picture/sample/color.dat')),
});

/** A corpus photo and the copy WeChat would make of it (1080 px long side, quality 75). */
export async function corpusPhoto(): Promise<{ photo: Buffer; wechat: Buffer }> {
  const photo = await readFile(path.join(CORPUS, 'exif-samples/jpg/tests/45-gps_ifd.jpg'));
  return { photo, wechat: await sharp(photo).resize({ width: 1080 }).jpeg({ quality: 75 }).toBuffer() };
}

/** Writes bytes at a path dated at noon on `day`. */
export const put = (file: string, bytes: Buffer, day: string) => putFile(file, bytes, day);

/** A WeChat 3.x MsgAttach image path of a chat, in a month. */
export const wechat3Path = (root: string, chat: string, month: string, name: string) =>
  path.join(root, 'WeChat Files', 'wxid_张三', 'FileStorage', 'MsgAttach', md5(chat), 'Image', month, `${md5(name)}.dat`);

/** A WeChat 4.x image path of a chat, in a month. */
export const wechat4Path = (root: string, chat: string, month: string, name: string) =>
  path.join(root, 'xwechat_files', 'wxid_abc_1f2e', 'msg', 'attach', md5(chat), month, 'Img', `${md5(name)}.dat`);

export interface DuplicateTree {
  /** The two copies of one sticker, in two chats (identical). */
  sticker: string[];
  /** The corpus colour chart as a plain JPEG, as WeChat 3.x .dat under keys 0x9F and 0x51, and as WeChat 4.x V1 (same picture). */
  color: { jpeg: string; dat9f: string; dat51: string; datV4: string };
  /** A corpus photo and WeChat's recompressed copy of it (similar). */
  car: { photo: string; wechat: string };
  /** Pictures with no duplicate at all. */
  unrelated: string[];
}

/** A cache with duplicates of every tier, and pictures that have none. */
export async function buildDuplicateTree(src: string): Promise<DuplicateTree> {
  const sticker = [path.join(src, 'folder', 'chat-a', 'sticker.gif'), path.join(src, 'folder', 'chat-b', 'forwarded.gif')];
  await put(sticker[0], await sampleImage(5, 'gif'), '2024-02-03');
  await mkdir(path.dirname(sticker[1]), { recursive: true });
  await copyFile(sticker[0], sticker[1]);
  await utimes(sticker[1], new Date(2024, 4, 9, 12), new Date(2024, 4, 9, 12));

  const { jpeg, dat9f } = await corpusColor();
  const color = {
    jpeg: path.join(src, 'folder', 'saved', 'color.jpg'),
    dat9f: wechat3Path(src, 'family', '2024-01', 'color-9f'),
    dat51: wechat3Path(src, 'work', '2024-02', 'color-51'),
    datV4: wechat4Path(src, 'friends', '2024-03', 'color-v4'),
  };
  await put(color.jpeg, jpeg, '2024-01-15');
  await put(color.dat9f, dat9f, '2024-01-10');
  await put(color.dat51, encodeDat3(jpeg, 0x51), '2024-02-11');
  await put(color.datV4, encodeDatV4(jpeg, 1, { aesLen: 1024, xorLen: 128, xorKey: 0x5a }), '2024-03-12');

  const { photo, wechat } = await corpusPhoto();
  const car = { photo: path.join(src, 'folder', 'camera', 'car.jpg'), wechat: wechat3Path(src, 'family', '2024-04', 'car') };
  await put(car.photo, photo, '2024-04-01');
  await put(car.wechat, encodeDat3(wechat, 0x9f), '2024-04-02');

  const unrelated: string[] = [];
  for (let i = 0; i < 4; i++) {
    const file = path.join(src, 'folder', 'chat-c', `other-${i}.png`);
    await put(file, await sampleImage(40 + i, 'png', 120), '2024-05-05');
    unrelated.push(file);
  }
  return { sticker, color, car, unrelated };
}

