import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { encodeDat3 } from '../src/media/dat.js';
import { mapLimit } from '../src/engine/pool.js';

/**
 * The bench's trees, one per shape of cache (SPEC "Performance"), built once and kept under the
 * bench's folder until the bench removes them (see run.ts):
 * - chat: QQNT and WeChat 3.x month folders and QQ Group2, as in every round before the twelfth;
 * - group2: QQ's `Image/Group2/<2 hex>/<2 hex>/` only, one or a few files in each of some 17 000
 *   folders (20 000 files), dated by their file times;
 * - folder: the same files in the same spread under a folder no layout claims, as a phone export
 *   is: scan reads every file's head for its type and EXIF date;
 * - photos: camera-sized JPEGs (12 MP, about 3.5 MB) with EXIF dates, in four large folders.
 * The first three are mostly small stickers and thumbnails (real JPEG, PNG and GIF bytes from
 * sharp) forwarded many times, and a few large photos; 20 000 files are about 3.3–3.6 GB with
 * 1 500 distinct images.
 */
export const SHAPES = ['chat', 'group2', 'folder', 'photos'] as const;
export type Shape = (typeof SHAPES)[number];

export interface CacheSpec {
  /** chat when not given: the shape the bench had before there were others. */
  shape?: Shape;
  files: number;
  /**
   * Every file dated in one month (March 2024), as a cache copied to a new disk is: the shape
   * where what a run holds per month is the most it holds at all. Chat layouts only.
   */
  oneMonth?: boolean;
}

/** Files in a shape's tree when --files is not given: photos are a few GB at a thousand. */
export const DEFAULT_FILES: Record<Shape, number> = { chat: 20_000, group2: 20_000, folder: 20_000, photos: 1_000 };

/**
 * Past this many files the copies of an image are hard links to its first copy: a 300 000-file
 * tree written out would need some 30 GB, and what the big run checks is that picvault walks,
 * spools, reads and catalogues that many paths in flat memory. Every path is still opened and read
 * whole; linked copies share their dates, and stay in the page cache together.
 */
export const LINKS_ABOVE = 20_000;
/** Large camera photos in a chat-like cache of any size: a bigger cache has more stickers, not more photos. */
const LARGE_PHOTOS = 90;
/** Distinct pictures in a photos tree, at most; more files are copies (hard links past LINKS_ABOVE). */
const MAX_PHOTOS = 1_000;
/** A photo folder's duplicates: one in twenty is the same picture saved again in another folder. */
const PHOTO_COPY_EVERY = 20;
const PHOTO_FOLDERS = ['DCIM/Camera', 'DCIM/100ANDRO', 'Pictures/WeiXin', 'Pictures/Screenshots'];

export interface CacheInfo {
  dir: string;
  shape: Shape;
  files: number;
  bytes: number;
  distinct: number;
  distinctBytes: number;
  oneMonth?: boolean;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const exifStamp = (d: Date) =>
  `${d.getFullYear()}:${String(d.getMonth() + 1).padStart(2, '0')}:${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:00:00`;

/**
 * Noise does not compress: each image keeps its size in any format, as camera and chat images do.
 * The large ones carry an EXIF date outside the chat shape (a forwarded or exported camera photo
 * keeps its EXIF; the chat shape's bytes stay those of the rounds before the twelfth).
 */
async function makeImage(i: number, large: boolean, exifDate: Date | null): Promise<Buffer> {
  if (large) {
    const photo = sharp({ create: { width: 2600, height: 1950, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 });
    return (exifDate ? photo.withExif({ IFD0: { Make: 'picvault bench' }, IFD2: { DateTimeOriginal: exifStamp(exifDate) } }) : photo).toBuffer();
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

/**
 * A 12-megapixel camera JPEG of about 3.5 MB: random pixels at a fifth of the size, scaled up
 * (sharp's own noise takes 1.7 s a picture at this size; this, 0.3 s), with its EXIF date.
 */
function makePhoto(taken: Date): Promise<Buffer> {
  const [w, h, f] = [4000, 3000, 5];
  const raw = randomBytes((w / f) * (h / f) * 3);
  return sharp(raw, { raw: { width: w / f, height: h / f, channels: 3 } })
    .resize(w, h, { kernel: 'cubic' })
    .jpeg({ quality: 82 })
    .withExif({ IFD0: { Make: 'picvault bench', Model: 'phone' }, IFD2: { DateTimeOriginal: exifStamp(taken) } })
    .toBuffer();
}

interface Place {
  file: string;
  when: Date;
  xor: boolean;
}

function chatPlace(copy: number, image: number, root: string, when: Date): Place {
  const ym = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}`;
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

/**
 * Group2's spread: a 23-character upper-case hex name, filed under its first two and next two
 * characters, so 20 000 files land in some 17 000 of the 65 536 folders. Under a QQ account for
 * group2, under a phone export's folder for folder.
 */
function spreadPlace(copy: number, image: number, root: string, when: Date, layout: boolean): Place {
  const name = md5(`${image}/${copy}`).slice(0, 23).toUpperCase();
  const base = layout ? path.join(root, 'Tencent Files', '12345678', 'Image', 'Group2') : path.join(root, 'Phone', 'export');
  return { file: path.join(base, name.slice(0, 2), name.slice(2, 4), `${name}.jpg`), when, xor: false };
}

function photoPlace(copy: number, image: number, root: string, when: Date): Place {
  const folder = PHOTO_FOLDERS[(image + copy) % PHOTO_FOLDERS.length];
  return { file: path.join(root, ...folder.split('/'), `IMG_${String(image).padStart(5, '0')}${copy ? `_${copy}` : ''}.jpg`), when, xor: false };
}

/** A copy's date: spread over five years (2021–2025), or all in March 2024. */
function dateOf(copy: number, image: number, oneMonth: boolean): Date {
  const year = oneMonth ? 2024 : 2021 + ((image + copy) % 5);
  const month = oneMonth ? 3 : 1 + ((image * 7 + copy * 3) % 12);
  return new Date(year, month - 1, 1 + ((image + copy) % 27), 12);
}

export const treeName = (spec: CacheSpec) => `${spec.shape ?? 'chat'}-${spec.files}${spec.oneMonth ? '-one-month' : ''}`;

/** The tree of a shape under dir, built unless a whole one of the same spec is there already. */
export async function buildCache(dir: string, given: CacheSpec, log: (s: string) => void): Promise<CacheInfo> {
  const spec = { ...given, shape: given.shape ?? 'chat' };
  const infoFile = path.join(dir, 'cache-info.json');
  const existing = await readFile(infoFile, 'utf8').then((t) => JSON.parse(t) as CacheInfo, () => null);
  if (existing && existing.shape === spec.shape && existing.files === spec.files && (existing.oneMonth ?? false) === (spec.oneMonth ?? false)) {
    return existing;
  }
  // A tree of another size, or one a killed build left half made, is built again from nothing.
  await rm(dir, { recursive: true, force: true });
  const root = path.join(dir, 'cache');
  const photos = spec.shape === 'photos';
  const distinct = photos
    ? Math.min(MAX_PHOTOS, spec.files - Math.floor(spec.files / PHOTO_COPY_EVERY))
    : Math.max(4, Math.round((spec.files * 1500) / 20000));
  const large = photos ? distinct : Math.min(LARGE_PHOTOS, Math.max(1, Math.round(distinct * 0.06)));
  // A photo folder of 20 000 camera JPEGs written out would be 70 GB: past a thousand, copies are links.
  const links = spec.files > (photos ? MAX_PHOTOS : LINKS_ABOVE);
  log(
    `building the ${spec.shape} tree: ${spec.files} files${spec.oneMonth ? ' all dated March 2024' : ''} from ${distinct} distinct images` +
      `${photos ? '' : ` (${large} large photos)`} in ${root}${links ? ', copies hard-linked' : ''}`,
  );
  // Large photos are forwarded less often than stickers, but each copy weighs far more.
  // The stickers share what is left, the first few one copy more, so the tree has exactly spec.files.
  const perSticker = photos ? 0 : Math.floor((spec.files - large * 7) / (distinct - large));
  const extra = photos ? spec.files - distinct : spec.files - large * 7 - perSticker * (distinct - large);
  const copiesOf = photos
    ? (i: number) => 1 + Math.floor(extra / distinct) + (i < extra % distinct ? 1 : 0)
    : (i: number) => (i < large ? 7 : Math.max(1, perSticker + (i - large < extra ? 1 : 0)));
  const placeOf = (c: number, i: number, when: Date): Place => {
    switch (spec.shape) {
      case 'chat':
        return chatPlace(c, i, root, when);
      case 'group2':
      case 'folder':
        return spreadPlace(c, i, root, when, spec.shape === 'group2');
      case 'photos':
        return photoPlace(c, i, root, when);
    }
  };
  let files = 0;
  let bytes = 0;
  let distinctBytes = 0;
  const images = Array.from({ length: distinct }, (_, i) => i);
  await mapLimit(images, 4, async (i) => {
    if (files >= spec.files) return;
    const taken = dateOf(0, i, spec.oneMonth ?? false);
    const image = photos ? await makePhoto(taken) : await makeImage(i, i < large, spec.shape === 'chat' ? null : taken);
    const dat = spec.shape === 'chat' ? encodeDat3(image, 0x9f) : image;
    const used = { image: false, dat: false };
    const first: { image?: string; dat?: string } = {};
    for (let c = 0; c < copiesOf(i) && files < spec.files; c++) {
      const place = placeOf(c, i, dateOf(c, i, spec.oneMonth ?? false));
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
  const info: CacheInfo = { dir: root, shape: spec.shape, files, bytes, distinct, distinctBytes, oneMonth: spec.oneMonth ?? false };
  await writeFile(infoFile, JSON.stringify(info));
  return info;
}

export const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * A tree of `files` paths hard-linked to the files of a built tree, in its folders' names, for
 * timing scan on 20 000 files of a shape whose tree has fewer (photos: 20 000 camera JPEGs written
 * out would be 70 GB). Scan reads each path's head whoever else links to it.
 */
export async function linkedTree(cache: CacheInfo, dir: string, files: number): Promise<string> {
  const root = path.join(dir, 'cache');
  const done = path.join(dir, 'done');
  if (await exists(done)) return root;
  await rm(dir, { recursive: true, force: true });
  const sources: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) sources.push(p);
    }
  };
  await walk(cache.dir);
  sources.sort();
  for (let i = 0; i < files; i++) {
    const from = sources[i % sources.length];
    const rel = path.relative(cache.dir, from);
    const to = path.join(root, path.dirname(rel), `${String(Math.floor(i / sources.length))}_${path.basename(rel)}`);
    if (i < sources.length) await mkdir(path.dirname(to), { recursive: true });
    await link(from, to);
  }
  await writeFile(done, '');
  return root;
}
