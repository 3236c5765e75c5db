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
 * Read first from a file's head: enough to tell any type (file-type looks at 4 100 bytes) and to
 * decode a .dat's probe. Most of a plain folder is JPEG, whose answer is in its first kilobytes.
 */
const FIRST_PIECE = 8 * 1024;
/** The JPEG markers exifr skips by their length (APPn, and DQT, SOF0, SOF2, DHT, DRI, COM); at any other it walks byte by byte. */
const SKIPPED_BY_LENGTH = new Set([0xc0, 0xc2, 0xc4, 0xdb, 0xdd, 0xfe, ...Array.from({ length: 16 }, (_, i) => 0xe0 + i)]);
const SOS = 0xda;

/**
 * How many leading bytes inspectBytes can look at, judged from the first ones: HEAD_BYTES unless
 * they tell less. A GIF's answer is its type. A JPEG's EXIF block is an APP1 segment before its image data, and exifr stops at
 * the start of scan (SOS): when the segments up to SOS lie within `first`, no byte after them can
 * change the answer. The walk follows exactly the segments exifr skips by length; any other
 * structure (fill bytes, other markers) gets the whole head. Keep in step with inspectBytes: a
 * type whose answer can come from further in must not be cut short here.
 */
export function headNeeded(first: Uint8Array): number {
  // GIF holds no EXIF block exifr reads: its type is all there is to tell.
  if (first.length >= 3 && first[0] === 0x47 && first[1] === 0x49 && first[2] === 0x46) return 3;
  if (first.length < 4 || first[0] !== 0xff || first[1] !== 0xd8) return HEAD_BYTES;
  for (let at = 2; at + 4 <= first.length; ) {
    if (first[at] !== 0xff) return HEAD_BYTES;
    if (first[at + 1] === SOS) return at;
    if (!SKIPPED_BY_LENGTH.has(first[at + 1])) return HEAD_BYTES;
    at += 2 + ((first[at + 2] << 8) | first[at + 3]);
  }
  return HEAD_BYTES;
}

/**
 * The head (and last two bytes) of a file, for inspecting it without reading it all, read
 * synchronously into `into` (HEAD_BYTES + 2 or more): the views are valid until its next use.
 * First FIRST_PIECE bytes, then the rest of the head only when headNeeded asks for it. Plain
 * folders are inspected at scan: a fresh 64 KB buffer and three thread-pool round trips a file
 * cost scan of 20 000 files more than a second of collecting and callbacks, and copying 64 KB of
 * every JPEG a fifth of what was left (docs/performance.md, twelfth round).
 */
export function readHead(filePath: string, size: number, into: Buffer = Buffer.allocUnsafe(HEAD_BYTES + 2)): { head: Buffer; tail: Buffer } {
  const fd = openSync(filePath, 'r');
  try {
    const want = Math.min(HEAD_BYTES, size);
    let got = readFully(fd, into.subarray(0, Math.min(FIRST_PIECE, want)), 0);
    if (got === FIRST_PIECE && want > got && headNeeded(into.subarray(0, got)) > got) got += readFully(fd, into.subarray(got, want), got);
    const head = into.subarray(0, got);
    if (size <= got) return { head, tail: head.subarray(Math.max(0, got - 2)) };
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
