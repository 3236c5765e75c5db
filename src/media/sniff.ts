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

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * JPEG, PNG and GIF, nearly all of a chat cache, told by their signatures without running
 * file-type's detector: that function is so large that V8 optimised it again and again, in both
 * reader threads, for a second or more of CPU time on the bench's 20 000 files. JPEG and GIF are
 * the very checks file-type makes (FF D8 FF but not FF D8 FF F7, which is JPEG-LS; "GIF"). For
 * PNG, file-type also walks the chunks and calls a file with a damaged chunk "not an image"; here
 * the signature decides, so such a file is archived, byte for byte, like any other picture.
 */
function commonImage(head: Uint8Array): ImageExt | null {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff && head[3] !== 0xf7) return 'jpg';
  if (head.length >= 3 && head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46) return 'gif';
  if (head.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => head[i] === b)) return 'png';
  return null;
}

/**
 * The image type of a file from its first bytes, never its extension (QQ saves GIFs as `.jpg`,
 * Android keeps no extension at all). null when the bytes are not an image we archive.
 */
export async function sniffImage(head: Uint8Array): Promise<ImageExt | null> {
  return commonImage(head) ?? sniffWithFileType(head);
}

/** file-type's answer alone, for checking the fast path against it. */
export async function sniffWithFileType(head: Uint8Array): Promise<ImageExt | null> {
  // Loaded on first use: file-type and its tokenizers are some 30 modules, and a chat cache is
  // nearly all JPEG, PNG and GIF, so most runs never need them (scan started 0.1 s sooner).
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  return (found && EXT_BY_SNIFF[found.ext]) ?? null;
}
