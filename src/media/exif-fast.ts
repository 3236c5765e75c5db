/**
 * DateTimeOriginal read straight from where nearly every camera and phone writes it: a JPEG's
 * first `Exif` APP1 segment (or a bare TIFF block), IFD0's pointer to the EXIF directory, the
 * ASCII tag 0x9003 in it. exifr reads the same, through its general machinery (a reader object,
 * its segment parsers, promises): about 40 µs a head, which was most of the scan of a folder of
 * 20 000 photos (docs/performance.md, fifteenth round); this takes about a microsecond.
 *
 * It answers only when everything it walks is whole and in the buffer. Anything else (a file
 * without the tag, a pointer past the head, an odd type, a truncated directory) is `undefined`:
 * "cannot tell", and exifr reads the file as before. So it never answers where exifr would not
 * be asked; test/exif-fast.test.ts checks that it agrees with exifr on every JPEG and TIFF of the
 * corpus and on camera-made photos.
 */
const EXIF_IFD_POINTER = 0x8769;
const DATE_TIME_ORIGINAL = 0x9003;
const ASCII = 2;
const LONG = 4;
const IFD = 13;
/** "YYYY:MM:DD HH:MM:SS" and its NUL. */
const STAMP_BYTES = 20;

/** The raw DateTimeOriginal string of a JPEG or a TIFF block, or undefined when this cannot tell. */
export function fastDateTimeOriginal(b: Uint8Array): string | undefined {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length < 8) return undefined;
  if (buf[0] === 0xff && buf[1] === 0xd8) {
    const tiff = jpegExifTiff(buf);
    return tiff ? tiffDateTimeOriginal(tiff) : undefined;
  }
  return tiffDateTimeOriginal(buf);
}

/** The TIFF structure inside a JPEG's first Exif APP1 segment, when it comes before the image data. */
function jpegExifTiff(b: Buffer): Buffer | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // a fill byte
      continue;
    }
    // Image data or the end: no EXIF segment before them.
    if (marker === 0xda || marker === 0xd9) return undefined;
    // Markers without a length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    if (marker === 0xe1 && at + 10 <= b.length && b.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      const end = at + 2 + length;
      return end <= b.length ? b.subarray(at + 10, end) : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}

function tiffDateTimeOriginal(t: Buffer): string | undefined {
  if (t.length < 8) return undefined;
  const order = t.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (at: number) => (le ? t.readUInt16LE(at) : t.readUInt16BE(at));
  const u32 = (at: number) => (le ? t.readUInt32LE(at) : t.readUInt32BE(at));
  if (u16(2) !== 42) return undefined;

  /** The offset of a directory's entry for `tag`, or undefined when the directory is not whole here or lacks it. */
  const entry = (dir: number, tag: number): number | undefined => {
    if (dir < 8 || dir + 2 > t.length) return undefined;
    const count = u16(dir);
    if (dir + 2 + count * 12 > t.length) return undefined;
    for (let i = 0, e = dir + 2; i < count; i++, e += 12) if (u16(e) === tag) return e;
    return undefined;
  };

  const pointer = entry(u32(4), EXIF_IFD_POINTER);
  // A pointer is one LONG (or IFD); written as anything else, readers ignore it (exifr, exiftool).
  if (pointer === undefined || ![LONG, IFD].includes(u16(pointer + 2)) || u32(pointer + 4) !== 1) return undefined;
  const date = entry(u32(pointer + 8), DATE_TIME_ORIGINAL);
  if (date === undefined || u16(date + 2) !== ASCII) return undefined;
  const count = u32(date + 4);
  if (count < STAMP_BYTES - 1 || count > 64) return undefined;
  const at = u32(date + 8);
  if (at + count > t.length) return undefined;
  const raw = t.toString('latin1', at, at + count);
  const nul = raw.indexOf('\0');
  return nul >= 0 ? raw.slice(0, nul) : raw;
}
