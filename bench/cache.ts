import { createHash } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { encodeDat3 } from '../src/media/dat.js';
import { mapLimit } from '../src/core/pool.js';

/**
 * A realistic chat cache for the bench, built once and kept: mostly small stickers and thumbnails
 * (real JPEG, PNG and GIF bytes from sharp) forwarded into many chats, and a few large photos;
 * QQNT, QQ Group2 and WeChat 3.x .dat layouts; dates over five years. The default, 20 000 files,
 * is about 3.5 GB with about 1 500 distinct images.
 */
export interface CacheSpec {
  files: number;
  /**
   * Every file dated in one month (March 2024), as a cache copied to a new disk is: the shape
   * where what a run holds per month is the most it holds at all.
   */
  oneMonth?: boolean;
}

/**
 * Past this many files the copies of an image are hard links to its first copy: a 300 000-file
 * tree written out would need some 30 GB, and what the big run checks is that picvault walks,
 * spools, reads and catalogues that many paths in flat memory. Every path is still opened and read
 * whole; linked copies share their dates, and stay in the page cache together.
 */
export const LINKS_ABOVE = 20_000;
/** Large camera photos in a cache of any size: a bigger cache has more stickers, not more photos. */
const LARGE_PHOTOS = 90;

export interface CacheInfo {
  dir: string;
  files: number;
  bytes: number;
  distinct: number;
  distinctBytes: number;
  oneMonth?: boolean;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Noise does not compress: each image keeps its size in any format, as camera and chat images do. */
async function makeImage(i: number, large: boolean): Promise<Buffer> {
  if (large) {
    return sharp({ create: { width: 2600, height: 1950, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer();
  }
  const size = 120 + (i % 7) * 30;
  const base = sharp({ create: { width: size, height: size, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 110 + (i % 40), sigma: 25 } } });
  switch (i % 3) {
    case 0:
      return base.jpeg({ quality: 80 }).toBuffer();
    case 1:
      return base.png({ compressionLevel: 1 }).toBuffer();
    default:
      return base.gif().toBuffer();
  }
}

function placeFor(copy: number, image: number, root: string, oneMonth: boolean): { file: string; when: Date; xor: boolean } {
  const year = oneMonth ? 2024 : 2021 + ((image + copy) % 5);
  const month = oneMonth ? 3 : 1 + ((image * 7 + copy * 3) % 12);
  const ym = `${year}-${String(month).padStart(2, '0')}`;
  const when = new Date(year, month - 1, 1 + ((image + copy) % 27), 12);
  const id = md5(`${image}`);
  switch (copy % 3) {
    case 0:
      return { file: path.join(root, 'Tencent Files', '12345678', 'nt_qq', 'nt_data', 'Pic', ym, 'Ori', `${id}_${copy}.jpg`), when, xor: false };
    case 1: {
      const name = `{${id.slice(0, 8).toUpperCase()}-${copy}}${id.slice(8, 19)}`.slice(0, 23);
      return { file: path.join(root, 'Tencent Files', '12345678', 'Image', 'Group2', name.slice(0, 2), name.slice(2, 4), `${name}.jpg`), when, xor: false };
    }
    default: {
      const chat = md5(`chat${copy % 40}`);
      return { file: path.join(root, 'WeChat Files', 'wxid_bench', 'FileStorage', 'MsgAttach', chat, 'Image', ym, `${id}${copy}.dat`), when, xor: true };
    }
  }
}

export async function buildCache(dir: string, spec: CacheSpec, log: (s: string) => void): Promise<CacheInfo> {
  const infoFile = path.join(dir, 'cache-info.json');
  const existing = await readFile(infoFile, 'utf8').then((t) => JSON.parse(t) as CacheInfo, () => null);
  if (existing && existing.files === spec.files && (existing.oneMonth ?? false) === (spec.oneMonth ?? false)) return existing;
  // A tree of another size, or one a killed build left half made, is built again from nothing.
  await rm(dir, { recursive: true, force: true });

  const distinct = Math.max(4, Math.round((spec.files * 1500) / 20000));
  const large = Math.min(LARGE_PHOTOS, Math.max(1, Math.round(distinct * 0.06)));
  const links = spec.files > LINKS_ABOVE;
  const root = path.join(dir, 'cache');
  log(`building the bench cache: ${spec.files} files${spec.oneMonth ? ' all dated March 2024' : ''} from ${distinct} distinct images (${large} large photos) in ${root}${links ? ', copies hard-linked' : ''}`);
  // Large photos are forwarded less often than stickers, but each copy weighs far more.
  // The stickers share what is left, the first few one copy more, so the tree has exactly spec.files.
  const perSticker = Math.floor((spec.files - large * 7) / (distinct - large));
  const extra = spec.files - large * 7 - perSticker * (distinct - large);
  const copiesOf = (i: number) => (i < large ? 7 : Math.max(1, perSticker + (i - large < extra ? 1 : 0)));
  let files = 0;
  let bytes = 0;
  let distinctBytes = 0;
  const images = Array.from({ length: distinct }, (_, i) => i);
  await mapLimit(images, 4, async (i) => {
    if (files >= spec.files) return;
    const image = await makeImage(i, i < large);
    const dat = encodeDat3(image, 0x9f);
    const used = { image: false, dat: false };
    const first: { image?: string; dat?: string } = {};
    for (let c = 0; c < copiesOf(i) && files < spec.files; c++) {
      const place = placeFor(c, i, root, spec.oneMonth ?? false);
      const kind = place.xor ? 'dat' : 'image';
      used[kind] = true;
      await mkdir(path.dirname(place.file), { recursive: true });
      const body = place.xor ? dat : image;
      const linkTo = links ? first[kind] : undefined;
      if (linkTo) await link(linkTo, place.file);
      else {
        await writeFile(place.file, body);
        await utimes(place.file, place.when, place.when);
        first[kind] = place.file;
      }
      files++;
      bytes += body.length;
    }
    // The .dat copies are other bytes than the image: two distinct contents to store.
    distinctBytes += (used.image ? image.length : 0) + (used.dat ? dat.length : 0);
  });
  const info: CacheInfo = { dir: root, files, bytes, distinct, distinctBytes, oneMonth: spec.oneMonth ?? false };
  await writeFile(infoFile, JSON.stringify(info));
  return info;
}

export const exists = (p: string) => stat(p).then(() => true, () => false);
