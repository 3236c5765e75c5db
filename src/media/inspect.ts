import { open, read, close } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FoundFile } from '../sources/types.js';
import { decodeDatHead, identifyDat, wechatAesKeys } from './dat.js';
import { exifDateOf } from './exif-read.js';
import { HEAD_BYTES, refineByName, sniffImage, type ImageExt } from './sniff.js';

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

// The callback API: for tens of thousands of small files, promise FileHandles cost more than the reads.
const openFd = promisify(open);
const readFd = promisify(read);
const closeFd = promisify(close);

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

/**
 * The head of a file and, when the head is not all of it, its last bytes (two, or a PNG's last
 * 16 KB), for inspecting it without reading it all.
 */
export async function readHead(filePath: string, size: number): Promise<{ head: Buffer; tail?: Buffer }> {
  const fd = await openFd(filePath, 'r');
  try {
    const want = Math.min(HEAD_BYTES, size);
    const head = Buffer.allocUnsafe(want);
    const { bytesRead } = await readFd(fd, head, 0, want, 0);
    if (size <= HEAD_BYTES) return { head: head.subarray(0, bytesRead) };
    const tail = Buffer.allocUnsafe(head.subarray(0, 4).equals(PNG_START) ? Math.min(PNG_TAIL, size - HEAD_BYTES) : 2);
    await readFd(fd, tail, 0, tail.length, size - tail.length);
    return { head: head.subarray(0, bytesRead), tail };
  } finally {
    await closeFd(fd);
  }
}

export async function inspectFile(file: Pick<FoundFile, 'path' | 'size' | 'source'>, options: InspectOptions = {}): Promise<Inspection> {
  const { head, tail } = await readHead(file.path, file.size);
  return inspectBytes(head, file, options, tail);
}
