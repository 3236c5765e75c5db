import { fileTypeFromBuffer } from 'file-type';

/** The entry extensions SPEC allows for images, by sniffed type. */
export type ImageExt = 'jpg' | 'png' | 'gif' | 'webp' | 'heic' | 'avif' | 'bmp' | 'tif' | 'jxl' | 'dat' | 'bin';

const EXT_BY_SNIFF: Record<string, ImageExt> = {
  jpg: 'jpg',
  mpo: 'jpg',
  png: 'png',
  apng: 'png',
  gif: 'gif',
  webp: 'webp',
  heic: 'heic',
  avif: 'avif',
  bmp: 'bmp',
  tif: 'tif',
  jxl: 'jxl',
};

/** How many leading bytes are read to tell a file's type and find its EXIF block. */
export const HEAD_BYTES = 64 * 1024;

/**
 * The image type of a file from its first bytes, never its extension (QQ saves GIFs as `.jpg`,
 * Android keeps no extension at all). null when the bytes are not an image we archive.
 */
export async function sniffImage(head: Uint8Array): Promise<ImageExt | null> {
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  return (found && EXT_BY_SNIFF[found.ext]) ?? null;
}
