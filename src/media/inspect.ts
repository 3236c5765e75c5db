import { closeSync, openSync } from 'node:fs';
import type { FoundFile } from '../sources/types.js';
import { decodeDatHead, identifyDat } from './dat.js';
import { readExifDate } from './exif-date.js';
import { HEAD_BYTES, sniffImage, type ImageExt } from './sniff.js';
import { readFully } from '../vault/sync-io.js';

export interface Inspection {
  /** The entry type: the sniffed image type, `dat` for a WeChat .dat, `bin` for a known-image blob of unknown type; null when not an image. */
  ext: ImageExt | null;
  /** For a .dat, the type of the image inside (null when it cannot be decoded, e.g. V2 without the key). */
  decodedExt: ImageExt | null;
  exifDate: string | null;
}

export interface InspectOptions {
  /** WeChat 4.x V2 account key, for decoding the type of V2 .dat files. */
  wechatKey?: string;
}

/** Containers whose EXIF block may sit past the head (HEIF's item data is often at the end). */
const EXIF_MAY_BE_LATE = new Set<ImageExt>(['heic', 'avif']);
const WXGF = Buffer.from('wxgf');
const EXIF_TAG = Buffer.from('Exif');
/** How far into a file an EXIF block is looked for before the parser is asked at all. */
const EXIF_WINDOW = 128 * 1024;
/** Bytes of a .dat decoded to tell the type of the image inside. */
const DAT_PROBE = 4096;

const isWechat = (f: Pick<FoundFile, 'source'>) => f.source === 'wechat' || f.source === 'wechat4';

/**
 * Type, decoded type and EXIF date from a file's bytes: its head, or all of it (archive reads each
 * file once and hashes the same buffer). Types come from bytes, never extensions.
 */
export async function inspectBytes(bytes: Buffer, file: Pick<FoundFile, 'path' | 'source'>, options: InspectOptions = {}, tail?: Buffer): Promise<Inspection> {
  const isDatName = /\.dat$/i.test(file.path);
  if (isDatName || isWechat(file)) {
    const info = identifyDat(bytes.subarray(0, 16), tail ?? bytes.subarray(bytes.length - 2));
    if (info) {
      const decoded = decodeDatHead(bytes.subarray(0, DAT_PROBE + 64), options);
      const decodedExt = decoded ? await sniffImage(decoded) : null;
      // WeChat recompresses what it stores: a decoded .dat carries no EXIF worth a parse.
      return { ext: 'dat', decodedExt, exifDate: null };
    }
    // An unrecognised .dat in a WeChat image folder is still WeChat's picture: kept raw, never lost.
    if (isWechat(file) && isDatName) return { ext: 'dat', decodedExt: null, exifDate: null };
  }
  const ext = await sniffImage(bytes.subarray(0, 4100));
  if (!ext) {
    // Android WeChat wraps some pictures in its HEVC container; they are images all the same.
    const wrapped = file.source === 'android' && bytes.subarray(0, 4).equals(WXGF);
    return { ext: wrapped ? 'bin' : null, decodedExt: null, exifDate: null };
  }
  // Most chat pictures carry no EXIF: a native search for the tag spares the parser.
  const window = bytes.subarray(0, EXIF_WINDOW);
  let exifDate = window.indexOf(EXIF_TAG) >= 0 || ext === 'tif' ? await readExifDate(window) : null;
  if (!exifDate && EXIF_MAY_BE_LATE.has(ext) && file.source === 'folder') exifDate = await readExifDate(file.path);
  return { ext, decodedExt: null, exifDate };
}

/**
 * The head (and last two bytes) of a file, for inspecting it without reading it all, read
 * synchronously into `into` (HEAD_BYTES + 2 or more): the views are valid until its next use.
 * Plain folders are inspected at scan, one file after another: a fresh 64 KB buffer and three
 * thread-pool round trips a file cost scan of 20 000 files more than a second of collecting and
 * callbacks, where the system calls cost a fifth of that (docs/performance.md, twelfth round).
 */
export function readHead(filePath: string, size: number, into: Buffer = Buffer.allocUnsafe(HEAD_BYTES + 2)): { head: Buffer; tail: Buffer } {
  const fd = openSync(filePath, 'r');
  try {
    const head = into.subarray(0, readFully(fd, into.subarray(0, Math.min(HEAD_BYTES, size)), 0));
    if (size <= HEAD_BYTES) return { head, tail: head.subarray(Math.max(0, head.length - 2)) };
    const tail = into.subarray(HEAD_BYTES, HEAD_BYTES + readFully(fd, into.subarray(HEAD_BYTES, HEAD_BYTES + 2), size - 2));
    return { head, tail };
  } finally {
    closeSync(fd);
  }
}

/** Type, decoded type and EXIF date from a file's head; `into` as for readHead. */
export async function inspectFile(file: Pick<FoundFile, 'path' | 'size' | 'source'>, options: InspectOptions = {}, into?: Buffer): Promise<Inspection> {
  const { head, tail } = readHead(file.path, file.size, into);
  return inspectBytes(head, file, options, tail);
}
