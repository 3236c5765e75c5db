import { open } from 'node:fs/promises';
import type { FoundFile } from '../sources/types.js';
import { decodeDatHead, identifyDat } from './dat.js';
import { readExifDate } from './exif-date.js';
import { HEAD_BYTES, sniffImage, type ImageExt } from './sniff.js';

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

async function readHeadAndTail(filePath: string, size: number): Promise<{ head: Buffer; tail: Buffer }> {
  const handle = await open(filePath, 'r');
  try {
    const buf = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (size <= HEAD_BYTES) return { head, tail: head.subarray(Math.max(0, head.length - 2)) };
    const tail = Buffer.alloc(2);
    await handle.read(tail, 0, 2, size - 2);
    return { head, tail };
  } finally {
    await handle.close();
  }
}

const isWechat = (f: Pick<FoundFile, 'source'>) => f.source === 'wechat' || f.source === 'wechat4';

/**
 * One read of a file's head (and its last two bytes) gives its type, for a WeChat .dat the type
 * of the image inside, and its EXIF date. Types come from bytes, never extensions.
 */
export async function inspectFile(file: Pick<FoundFile, 'path' | 'size' | 'source'>, options: InspectOptions = {}): Promise<Inspection> {
  const { head, tail } = await readHeadAndTail(file.path, file.size);
  const isDatName = /\.dat$/i.test(file.path);
  if (isDatName || isWechat(file)) {
    const info = identifyDat(head, tail);
    if (info) {
      const decoded = decodeDatHead(head, options);
      const decodedExt = decoded ? await sniffImage(decoded) : null;
      return { ext: 'dat', decodedExt, exifDate: decoded && decodedExt ? await readExifDate(decoded) : null };
    }
    // An unrecognised .dat in a WeChat image folder is still WeChat's picture: kept raw, never lost.
    if (isWechat(file) && isDatName) return { ext: 'dat', decodedExt: null, exifDate: null };
  }
  const ext = await sniffImage(head);
  if (!ext) {
    // Android WeChat wraps some pictures in its HEVC container; they are images all the same.
    const wrapped = file.source === 'android' && head.subarray(0, 4).equals(WXGF);
    return { ext: wrapped ? 'bin' : null, decodedExt: null, exifDate: null };
  }
  let exifDate = await readExifDate(head);
  if (!exifDate && EXIF_MAY_BE_LATE.has(ext) && file.source === 'folder') exifDate = await readExifDate(file.path);
  return { ext, decodedExt: null, exifDate };
}
