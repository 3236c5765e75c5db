import { readExifDate } from './exif-date.js';
import type { ImageExt } from './sniff.js';

/**
 * Where each container keeps its EXIF block, and DateTimeOriginal from it (SPEC "Sources and
 * dates": JPEG, TIFF, PNG eXIf, WebP's EXIF chunk, HEIC and AVIF; and camera RAW). exifr reads
 * JPEG, TIFF (and the RAWs built on it) and PNG; sharp hands over the raw block of WebP, HEIC and
 * AVIF (exifr rejects WebP, and misreads HEIF files that keep their EXIF item in `idat`, as
 * libheif writes AVIF). Each container is first asked, cheaply, whether it has EXIF at all: most
 * chat pictures have none, and neither library is loaded for them.
 */
export interface ImageBytes {
  /** The file's bytes: all of it, or its head. */
  bytes: Buffer;
  whole: boolean;
  /** Where to read the rest, when bytes is only the head. */
  path: string;
  /** The file's last bytes, when bytes is only the head (a PNG's eXIf may follow its image data). */
  tail?: Buffer;
}

/** How far into a file an EXIF block is looked for before the parser is asked at all. */
const EXIF_WINDOW = 128 * 1024;
const EXIF_TAG = Buffer.from('Exif');
const PNG_EXIF = Buffer.from('eXIf');

const TIFF_BASED = new Set<ImageExt>(['tif', '3fr', 'arw', 'cr2', 'dcr', 'dng', 'erf', 'iiq', 'k25', 'kdc', 'mef', 'mos', 'nef', 'nrw', 'pef', 'rwl', 'sr2', 'srf', 'srw']);

export async function exifDateOf(ext: ImageExt, img: ImageBytes): Promise<string | null> {
  const window = img.bytes.subarray(0, EXIF_WINDOW);
  switch (ext) {
    case 'jpg':
      return window.indexOf(EXIF_TAG) >= 0 ? readExifDate(window) : null;
    case 'png': {
      const block = pngExifBlock(img);
      return block ? exifBlockDate(block) : null;
    }
    case 'webp':
      return webpHasExif(img.bytes) ? sharpExifDate(img) : null;
    case 'heic':
    case 'avif':
      // The EXIF item is listed, by its type "Exif", in the meta box at the file's start.
      return window.indexOf(EXIF_TAG) >= 0 ? sharpExifDate(img) : null;
    case 'raf':
      return rafExifDate(img.bytes);
    case 'cr3':
      return cr3ExifDate(window);
    case 'orf':
    case 'rw2':
      // TIFF structures under a magic of their own: exifr reads them once given TIFF's.
      return readExifDate(Buffer.concat([Buffer.from(img.bytes[0] === 0x4d ? 'MM\0*' : 'II*\0', 'latin1'), img.bytes.subarray(4)]));
    default:
      // A TIFF's directories may be anywhere: exifr reads on from the file where the head ends.
      return TIFF_BASED.has(ext) ? readExifDate(img.whole ? img.bytes : img.path) : null;
  }
}

/**
 * A PNG's eXIf chunk's content. Its chunks are walked: in all of a file, or in a head up to the
 * image data (where the PNG spec puts eXIf); after the image data (where Pillow writes it) a
 * head-only read finds it in the file's tail.
 */
function pngExifBlock(img: ImageBytes): Buffer | null {
  const b = img.bytes;
  for (let at = 8; at + 8 <= b.length; at += 12 + b.readUInt32BE(at)) {
    if (b[at + 4] === 0x65 && b.subarray(at + 4, at + 8).equals(PNG_EXIF)) return chunkAt(b, at + 4);
    if (!img.whole && b.toString('latin1', at + 4, at + 8) === 'IDAT') break;
  }
  return img.tail ? chunkAt(img.tail, img.tail.indexOf(PNG_EXIF)) : null;
}

/** The content of the chunk whose type is at `type`, when all of it is in b. */
function chunkAt(b: Buffer, type: number): Buffer | null {
  if (type < 4) return null;
  const length = b.readUInt32BE(type - 4);
  return type + 4 + length <= b.length ? b.subarray(type + 4, type + 4 + length) : null;
}

/** An extended WebP (VP8X) says in its flags whether it carries an EXIF chunk; a simple one cannot. */
const webpHasExif = (b: Buffer) => b.length >= 21 && b.toString('latin1', 12, 16) === 'VP8X' && (b[20] & 0x08) !== 0;

/** DateTimeOriginal from a raw EXIF block: a TIFF structure, with or without "Exif\0\0" before it. */
export function exifBlockDate(block: Buffer): Promise<string | null> {
  const tiff = block.toString('latin1', 0, 6) === 'Exif\0\0' ? block.subarray(6) : block;
  return readExifDate(tiff);
}

async function sharpExifDate(img: ImageBytes): Promise<string | null> {
  try {
    // Loaded on first use: only WebP and HEIF files that carry EXIF need it.
    const { default: sharp } = await import('sharp');
    const { exif } = await sharp(img.whole ? img.bytes : img.path, { failOn: 'none' }).metadata();
    return exif ? exifBlockDate(exif) : null;
  } catch {
    return null;
  }
}

/** A RAF keeps a full JPEG preview, with the camera's EXIF, at the offset its header gives. */
function rafExifDate(b: Buffer): Promise<string | null> {
  if (b.length < 92) return Promise.resolve(null);
  const at = b.readUInt32BE(84);
  return at > 0 && at < b.length ? readExifDate(b.subarray(at, at + EXIF_WINDOW)) : Promise.resolve(null);
}

/** A CR3 keeps its EXIF directory as a TIFF structure in a `CMT2` box, near its start. */
function cr3ExifDate(window: Buffer): Promise<string | null> {
  const box = window.indexOf('CMT2');
  if (box < 4) return Promise.resolve(null);
  const size = window.readUInt32BE(box - 4);
  return readExifDate(window.subarray(box + 4, box - 4 + size), { ifd0AsExif: true });
}
