import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { FoundFile } from '../sources/types.js';
import { decodeDatHead, identifyDat, wechatAesKeys } from './dat.js';
import { exifDateOf } from './exif-read.js';
import { HEAD_BYTES, refineByName, sniffImage, type ImageExt } from './sniff.js';
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

const WXGF = Buffer.from('wxgf');
/** Bytes of a .dat decoded to tell the type of the image inside. */
const DAT_PROBE = 4096;
/** A PNG's last bytes read with its head: an eXIf chunk written after the image data is there (its block is a few KB). */
const PNG_TAIL = 16 * 1024;

const isWechat = (f: Pick<FoundFile, 'source'>) => f.source === 'wechat' || f.source === 'wechat4';

/**
 * Type, decoded type and EXIF date from a file's bytes: all of them (archive reads each file once
 * and hashes the same buffer), or its head and tail (`tail` given; scan reads no more). Types come
 * from bytes, never extensions, but for naming a TIFF-based camera RAW (sniff.ts refineByName).
 */
export async function inspectBytes(bytes: Buffer, file: Pick<FoundFile, 'path' | 'source'>, options: InspectOptions = {}, tail?: Buffer): Promise<Inspection> {
  const isDatName = /\.dat$/i.test(file.path);
  if (isDatName || isWechat(file)) {
    const info = identifyDat(bytes.subarray(0, 16));
    // A plain picture in a WeChat folder (its Cache, Sns and Video thumbnails are) is not a .dat.
    if (info && (isDatName || info.xorKey !== 0)) {
      const decoded = decodeDatHead(bytes.subarray(0, DAT_PROBE + 64), wechatAesKeys(options.wechatKey));
      const decodedExt = decoded ? await sniffImage(decoded) : null;
      // WeChat recompresses what it stores: a decoded .dat carries no EXIF worth a parse.
      return { ext: 'dat', decodedExt, exifDate: null };
    }
    // An unrecognised .dat in a WeChat image folder is still WeChat's picture: kept raw, never lost.
    if (isWechat(file) && isDatName) return { ext: 'dat', decodedExt: null, exifDate: null };
  }
  const ext = refineByName(await sniffImage(bytes.subarray(0, 4100)), path.basename(file.path));
  if (!ext) {
    // WeChat wraps some pictures in its HEVC container (Android, and 4.x on the desktop); they are images all the same.
    const wrapped = (file.source === 'android' || isWechat(file)) && bytes.subarray(0, 4).equals(WXGF);
    return { ext: wrapped ? 'bin' : null, decodedExt: null, exifDate: null };
  }
  const exifDate = await exifDateOf(ext, { bytes, whole: tail === undefined, path: file.path, tail });
  return { ext, decodedExt: null, exifDate };
}

const PNG_START = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
/** What readHead reads into: a head and a tail. */
export const HEAD_BUFFER_BYTES = HEAD_BYTES + PNG_TAIL;

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
 * change the answer (a PNG's, up to its image data: pngHeadNeeded). The walk follows exactly the segments exifr skips by length; any other
 * structure (fill bytes, other markers) gets the whole head. Keep in step with inspectBytes: a
 * type whose answer can come from further in must not be cut short here.
 */
export function headNeeded(first: Uint8Array): number {
  // GIF holds no EXIF block exifr reads: its type is all there is to tell.
  if (first.length >= 3 && first[0] === 0x47 && first[1] === 0x49 && first[2] === 0x46) return 3;
  if (first.length >= 8 && first[0] === 0x89 && first[1] === 0x50 && first[2] === 0x4e && first[3] === 0x47) return pngHeadNeeded(first);
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
 * A PNG's head is looked at up to its image data: pngExifBlock stops at the first IDAT chunk
 * (an eXIf after the image data is in the tail read with the head). When the first bytes reach
 * that chunk's header, every chunk before it is in them and no byte further in can change the
 * answer; chunks running past the first bytes get the whole head. Phone screenshots are PNGs:
 * their 64 KB heads were most of the bytes scan read of them (docs/performance.md, fourteenth round).
 */
function pngHeadNeeded(first: Uint8Array): number {
  const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
  for (let at = 8; at + 8 <= first.length; at += 12 + view.getUint32(at)) {
    if (first[at + 4] === 0x49 && first[at + 5] === 0x44 && first[at + 6] === 0x41 && first[at + 7] === 0x54) return at + 8; // IDAT
  }
  return HEAD_BYTES;
}

/**
 * The head of a file and, when the head is not all of it, its last bytes (two, or a PNG's last
 * 16 KB), for inspecting it without reading it all, read synchronously into `into`
 * (HEAD_BUFFER_BYTES): the views are valid until its next use.
 * First FIRST_PIECE bytes, then the rest of the head only when headNeeded asks for it. Plain
 * folders are inspected at scan: a fresh 64 KB buffer and three thread-pool round trips a file
 * cost scan of 20 000 files more than a second of collecting and callbacks, and copying 64 KB of
 * every JPEG a fifth of what was left (docs/performance.md, thirteenth round).
 */
export function readHead(filePath: string, size: number, into: Buffer = Buffer.allocUnsafe(HEAD_BUFFER_BYTES)): { head: Buffer; tail?: Buffer } {
  const fd = openSync(filePath, 'r');
  try {
    const want = Math.min(HEAD_BYTES, size);
    let got = readFully(fd, into.subarray(0, Math.min(FIRST_PIECE, want)), 0);
    if (got === FIRST_PIECE && want > got && headNeeded(into.subarray(0, got)) > got) got += readFully(fd, into.subarray(got, want), got);
    const head = into.subarray(0, got);
    if (size <= got) return { head };
    const tailBytes = head.subarray(0, 4).equals(PNG_START) ? Math.min(PNG_TAIL, size - got) : 2;
    const tail = into.subarray(HEAD_BYTES, HEAD_BYTES + readFully(fd, into.subarray(HEAD_BYTES, HEAD_BYTES + tailBytes), size - tailBytes));
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
