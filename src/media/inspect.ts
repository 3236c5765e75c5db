import { open } from 'node:fs/promises';
import { readExifDate } from './exif-date.js';
import { HEAD_BYTES, sniffImage, type ImageExt } from './sniff.js';

export interface Inspection {
  ext: ImageExt | null;
  exifDate: string | null;
}

/** Containers whose EXIF block may sit past the head (HEIF's item data is often at the end). */
const EXIF_MAY_BE_LATE = new Set<ImageExt>(['heic', 'avif']);

/**
 * One read of a file's head gives both its type and, for plain folders, its EXIF date. The EXIF
 * date is only looked for when wanted: chat layouts date files by folder or file time.
 */
export async function inspectFile(filePath: string, wantExif: boolean): Promise<Inspection> {
  const handle = await open(filePath, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const ext = await sniffImage(head);
  if (!ext || !wantExif) return { ext, exifDate: null };
  let exifDate = await readExifDate(head);
  if (!exifDate && EXIF_MAY_BE_LATE.has(ext)) exifDate = await readExifDate(filePath);
  return { ext, exifDate };
}
