/**
 * Camera RAW formats, each named by its usual extension (docs/decisions.md "Camera RAW"). Those
 * built on TIFF that the bytes do not name (NEF, PEF, SRW, ...) are told by the file's extension,
 * as exiftool tells them; CR2, CR3, ORF, RW2, RAF, MRW, X3F, CRW and (where its first
 * directory is in reach) DNG and ARW are told by their bytes.
 */
export const RAW_EXTS = [
  '3fr', 'arw', 'cr2', 'cr3', 'crw', 'dcr', 'dng', 'erf', 'iiq', 'k25', 'kdc', 'mef', 'mos', 'mrw', 'nef', 'nrw', 'orf', 'pef', 'raf', 'rw2', 'rwl', 'sr2', 'srf', 'srw', 'x3f',
] as const;
export type RawExt = (typeof RAW_EXTS)[number];

/** The RAW formats whose files are TIFF structures: their bytes say TIFF, their extension says which. */
const TIFF_BASED_RAW = new Set<string>(['3fr', 'arw', 'cr2', 'dcr', 'dng', 'erf', 'iiq', 'k25', 'kdc', 'mef', 'mos', 'nef', 'nrw', 'pef', 'rwl', 'sr2', 'srf', 'srw']);

/** The entry extensions for images, by sniffed type (SPEC's list, and TIFF, JPEG XL and camera RAW). */
export type ImageExt = 'jpg' | 'png' | 'gif' | 'webp' | 'heic' | 'avif' | 'bmp' | 'tif' | 'jxl' | RawExt | 'dat' | 'bin';

const EXT_BY_SNIFF: Record<string, ImageExt> = {
  cr2: 'cr2',
  cr3: 'cr3',
  nef: 'nef',
  arw: 'arw',
  dng: 'dng',
  orf: 'orf',
  raf: 'raf',
  rw2: 'rw2',
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

const startsWith = (head: Uint8Array, text: string, at = 0) => head.length >= at + text.length && [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/**
 * TIFF structures and the RAW containers file-type does not know, from their first bytes alone.
 * A TIFF's first directory may lie anywhere in the file (libtiff and Photoshop often write it at
 * the end), past any head: its 8-byte header is enough to know it is a picture. file-type, which
 * walks to that directory to look for DNG and ARW tags, gives up when it is out of reach.
 */
function tiffOrRaw(head: Uint8Array): ImageExt | null {
  if (startsWith(head, 'II*\0') || startsWith(head, 'MM\0*') || startsWith(head, 'II+\0') || startsWith(head, 'MM\0+')) {
    return startsWith(head, 'CR\x02', 8) ? 'cr2' : 'tif';
  }
  if (startsWith(head, 'IIRO') || startsWith(head, 'IIRS') || startsWith(head, 'MMOR')) return 'orf';
  if (startsWith(head, 'IIU\0')) return 'rw2';
  if (startsWith(head, 'FUJIFILMCCD-RAW')) return 'raf';
  if (startsWith(head, '\0MRM') || startsWith(head, '\0MRI')) return 'mrw';
  if (startsWith(head, 'FOVb')) return 'x3f';
  if ((startsWith(head, 'II') || startsWith(head, 'MM')) && startsWith(head, 'HEAPCCDR', 6)) return 'crw';
  return null;
}

/**
 * The image type of a file from its first bytes, never its extension (QQ saves GIFs as `.jpg`,
 * Android keeps no extension at all). null when the bytes are not an image we archive.
 */
export async function sniffImage(head: Uint8Array): Promise<ImageExt | null> {
  const quick = commonImage(head);
  if (quick) return quick;
  const structural = tiffOrRaw(head);
  // file-type still names what it can reach (DNG, ARW, NEF by their tags; CR3 by its brand).
  if (structural === 'tif') return (await sniffWithFileType(head)) ?? 'tif';
  return structural ?? sniffWithFileType(head);
}

/**
 * A TIFF-structured file's RAW format where its bytes do not say it: its extension, when that
 * is a TIFF-based RAW format's (exiftool's rule), else the type sniffed.
 */
export function refineByName(ext: ImageExt | null, fileName: string): ImageExt | null {
  if (ext !== 'tif') return ext;
  const own = /\.([0-9a-z]+)$/i.exec(fileName)?.[1].toLowerCase();
  return own && TIFF_BASED_RAW.has(own) ? (own as RawExt) : ext;
}

/** file-type's answer alone, for checking the fast path against it. */
export async function sniffWithFileType(head: Uint8Array): Promise<ImageExt | null> {
  // Loaded on first use: file-type and its tokenizers are some 30 modules, and a chat cache is
  // nearly all JPEG, PNG and GIF, so most runs never need them (scan started 0.1 s sooner).
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  return (found && EXT_BY_SNIFF[found.ext]) ?? null;
}
