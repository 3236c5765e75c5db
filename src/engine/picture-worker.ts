import { parentPort } from 'node:worker_threads';
import { datPictureSize, V4_HEADER } from '../media/dat.js';
import { hash64 } from '../media/hash.js';
import type { PerceptualHash } from '../media/perceptual.js';
import { pictureBytes, shownPicture, shownType, type ShownPicture } from '../media/picture.js';
import type { ImageExt } from '../media/sniff.js';
import { KeptBuffer, readHead, readStoredEntry, readWholeFile, type StoredEntry } from '../vault/stored-entry.js';
import { serveJobs } from './thread-pool.js';

/**
 * A thread of dedupe's pool (picture-pool.ts). For each file on disk, or image stored in a zip,
 * it reads the bytes once into a kept buffer and gives, as asked, the file's hash and type, the
 * picture it shows (media/picture.ts: a .dat decoded) with its hash and size, and how the
 * picture looks (media/perceptual.ts). Image bytes never leave the thread.
 */
export interface PictureTask {
  from: { path: string } | { entry: StoredEntry };
  size: number;
  /** A WeChat .dat (by its name or its folder): its picture is the image it hides. */
  dat: boolean;
  /** For a stored image: the hash its bytes must have, or it is damaged. */
  expect?: string;
  /** Also compute how the picture looks. */
  looks: boolean;
  /** Only the size its picture may have (a .dat on disk: media/dat.ts `datPictureSize`), from its first bytes. */
  head?: boolean;
}

export type PictureResult =
  | {
      ok: true;
      hash: string;
      size: number;
      /** The sniffed type (of the picture inside, for a .dat that decodes); null when not an image. */
      ext: ImageExt | null;
      picture: string;
      pictureSize: number;
      /** Asked for and decodable; null when sharp could not decode the picture. */
      looks?: PerceptualHash | null;
    }
  | { ok: true; head: true; pictureSize: number }
  | { ok: false; reason: string };

export interface PictureJob {
  tasks: PictureTask[];
  wechatKey?: string;
}

const raw = new KeptBuffer();
const decoded = new KeptBuffer();
/** A 3.x .dat is decoded and hashed through this, a piece at a time (media/picture.ts): it stays in the CPU's cache. */
const piece = Buffer.allocUnsafe(128 << 10);
/**
 * The picture of each .dat this thread decoded, by the .dat's own hash: a chat forwards the same
 * .dat into many chats, and decoding is the costly part (a XOR over every byte, then a second
 * hash), so each content is decoded once a thread. Forgotten past a bound, to stay small.
 */
const datPictures = new Map<string, ShownPicture>();
const DAT_PICTURES_KEPT = 100_000;

let loaded: Promise<typeof import('../media/perceptual.js')> | null = null;

/**
 * sharp, loaded on the first picture to look at (the identical and same-picture tiers never need
 * it), with each decode in one libvips thread and no operation cache. The pool decodes in each of
 * its threads at once, a picture each, so two decodes fill two cores; libvips' default where
 * sharp is built with jemalloc (Windows, macOS) is a thread per core for each, four threads on
 * two cores. Every picture is decoded once, so the cache only cost its bookkeeping (5 % of a
 * decode, measured on bench/dedupe.ts's chat-sized pictures). Both settings are libvips' own,
 * for the whole process: only dedupe's process runs this pool.
 */
function perceptual(): Promise<typeof import('../media/perceptual.js')> {
  loaded ??= (async () => {
    const { default: sharp } = await import('sharp');
    sharp.concurrency(1);
    sharp.cache(false);
    return import('../media/perceptual.js');
  })();
  return loaded;
}

async function examine(task: PictureTask, wechatKey?: string): Promise<PictureResult> {
  let bytes: Buffer | null;
  try {
    if (task.head && 'path' in task.from) return { ok: true, head: true, pictureSize: datPictureSize(readHead(task.from.path, V4_HEADER, raw), task.size) };
    bytes = 'path' in task.from ? readWholeFile(task.from.path, task.size, raw) : readStoredEntry(task.from.entry, raw);
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
  if (!bytes) return { ok: false, reason: 'damaged' };
  const hash = hash64(bytes);
  if (task.expect !== undefined && (hash !== task.expect || bytes.length !== task.size)) return { ok: false, reason: 'damaged' };
  const known = task.dat && !task.looks ? datPictures.get(hash) : undefined;
  if (known) return { ok: true, hash, size: bytes.length, ...known };
  if (!task.looks) {
    const shown = await shownPicture(bytes, hash, task.dat, piece, wechatKey);
    if (task.dat) {
      if (datPictures.size >= DAT_PICTURES_KEPT) datPictures.clear();
      datPictures.set(hash, shown);
    }
    return { ok: true, hash, size: bytes.length, ...shown };
  }
  // How it looks needs the picture's bytes whole: decoded into a kept buffer.
  const picture = await pictureBytes(bytes, task.dat, (n) => decoded.take(n), wechatKey);
  const ext = await shownType(picture, bytes, task.dat);
  // Awaited before the next file is read: sharp reads the kept buffer while it decodes.
  const looks = ext === null || ext === 'dat' || ext === 'bin' ? null : await (await perceptual()).perceptualHash(picture);
  return { ok: true, hash, size: bytes.length, ext, picture: picture === bytes ? hash : hash64(picture), pictureSize: picture.length, looks };
}

async function run(job: PictureJob): Promise<PictureResult[]> {
  const results: PictureResult[] = [];
  for (const task of job.tasks) results.push(await examine(task, job.wechatKey));
  return results;
}

if (parentPort) serveJobs(parentPort, run);
