import { sampleImage } from './images.js';

/**
 * TIFF structures and camera RAW containers, built byte by byte the way their writers lay them
 * out (none is in the corpus, and no encoder at hand writes them). Each carries an EXIF
 * DateTimeOriginal where its format keeps one; exiftool names each one's type and date the same
 * (test/media-types.test.ts checks that, so the fixtures are what they claim to be).
 */
type Value = { tag: number; type: 1 | 2 | 3 | 4 | 7; data: number[] | string } | { tag: number; ifd: Entry[] };
type Entry = Value;

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 7: 1 };

/** Little-endian IFDs laid out at `base`: each directory, then the values that do not fit in four bytes. */
function ifdBytes(entries: Entry[], base: number): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const dirSize = 2 + sorted.length * 12 + 4;
  const dir = Buffer.alloc(dirSize);
  const extra: Buffer[] = [];
  let extraAt = base + dirSize;
  dir.writeUInt16LE(sorted.length, 0);
  sorted.forEach((e, i) => {
    const at = 2 + i * 12;
    dir.writeUInt16LE(e.tag, at);
    if ('ifd' in e) {
      dir.writeUInt16LE(4, at + 2);
      dir.writeUInt32LE(1, at + 4);
      dir.writeUInt32LE(extraAt, at + 8);
      const sub = ifdBytes(e.ifd, extraAt);
      extra.push(sub);
      extraAt += sub.length;
      return;
    }
    const raw = typeof e.data === 'string' ? Buffer.from(`${e.data}\0`, 'latin1') : Buffer.alloc(e.data.length * TYPE_SIZE[e.type]);
    if (typeof e.data !== 'string') {
      e.data.forEach((v, k) => {
        if (e.type === 3) raw.writeUInt16LE(v, k * 2);
        else if (e.type === 4) raw.writeUInt32LE(v, k * 4);
        else raw[k] = v;
      });
    }
    dir.writeUInt16LE(e.type, at + 2);
    dir.writeUInt32LE(raw.length / TYPE_SIZE[e.type], at + 4);
    if (raw.length <= 4) raw.copy(dir, at + 8);
    else {
      dir.writeUInt32LE(extraAt, at + 8);
      const padded = raw.length % 2 ? Buffer.concat([raw, Buffer.alloc(1)]) : raw;
      extra.push(padded);
      extraAt += padded.length;
    }
  });
  return Buffer.concat([dir, ...extra]);
}

export interface TiffOptions {
  /** The first four bytes (TIFF's "II*\0", ORF's "IIRO", RW2's "IIU\0"). */
  magic?: string;
  /** Bytes right after the 8-byte header (CR2's "CR\x02\0" and the raw IFD's offset; RW2's signature). */
  afterHeader?: Buffer;
  make?: string;
  exifDate?: string;
  dngVersion?: boolean;
  /** Photometric interpretation of the image: 1 grey, 32803 a camera's colour filter array. */
  photometric?: number;
  size?: number;
}

/**
 * A grey picture with its first directory at the end, after the pixels, as libtiff and Photoshop
 * often write it: past any head a sniffer reads.
 */
export function tiffWithLateDirectory(options: TiffOptions = {}): Buffer {
  const size = options.size ?? 300;
  const header = Buffer.alloc(8);
  header.write(options.magic ?? 'II*\0', 0, 'latin1');
  const after = options.afterHeader ?? Buffer.alloc(0);
  const pixels = Buffer.alloc(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i >> 8)) & 0xff;
  const pixelsAt = 8 + after.length;
  const ifdAt = pixelsAt + pixels.length;
  header.writeUInt32LE(ifdAt, 4);
  const entries: Entry[] = [
    { tag: 256, type: 4, data: [size] },
    { tag: 257, type: 4, data: [size] },
    { tag: 258, type: 3, data: [8] },
    { tag: 259, type: 3, data: [1] },
    { tag: 262, type: 3, data: [options.photometric ?? 1] },
    { tag: 273, type: 4, data: [pixelsAt] },
    { tag: 277, type: 3, data: [1] },
    { tag: 278, type: 4, data: [size] },
    { tag: 279, type: 4, data: [pixels.length] },
  ];
  if (options.make) entries.push({ tag: 271, type: 2, data: options.make });
  if (options.dngVersion) entries.push({ tag: 50706, type: 1, data: [1, 4, 0, 0] });
  if (options.exifDate) entries.push({ tag: 34665, ifd: [{ tag: 36867, type: 2, data: options.exifDate }] });
  return Buffer.concat([header, after, pixels, ifdBytes(entries, ifdAt)]);
}

/** A small TIFF structure holding only a directory: what CR3's CMT boxes hold. */
function tiffBlock(entries: Entry[]): Buffer {
  return Buffer.concat([Buffer.from('II*\0\x08\0\0\0', 'latin1'), ifdBytes(entries, 8)]);
}

const box = (type: string, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};

/** Canon CR3: ISO-BMFF with brand `crx `; its EXIF directory, as a TIFF of its own, in the CMT2 box of Canon's uuid box in moov. */
export function cr3(exifDate: string): Buffer {
  const ftyp = box('ftyp', Buffer.from('crx \0\0\0\x01crx isom', 'latin1'));
  const canonUuid = Buffer.from('85c0b687820f11e08111f4ce462b6a48', 'hex');
  const uuid = box('uuid', canonUuid, box('CMT1', tiffBlock([{ tag: 271, type: 2, data: 'Canon' }])), box('CMT2', tiffBlock([{ tag: 36867, type: 2, data: exifDate }])));
  return Buffer.concat([ftyp, box('moov', uuid), box('mdat', Buffer.alloc(4096, 0x5a))]);
}

/** Fujifilm RAF: its header, then (at the offset the header gives) a full JPEG preview with the camera's EXIF. */
export async function raf(exifDate: string): Promise<Buffer> {
  const jpeg = await sampleImage(77, 'jpeg', 96, exifDate);
  const header = Buffer.alloc(160);
  header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
  header.write('X-T1', 28, 'latin1');
  header.write('0100', 60, 'latin1');
  header.writeUInt32BE(header.length, 84);
  header.writeUInt32BE(jpeg.length, 88);
  return Buffer.concat([header, jpeg, Buffer.alloc(2048, 0x11)]);
}

/** Panasonic RW2: a TIFF structure under "IIU\0", with the signature exiftool checks after its header. */
export const rw2 = (exifDate: string) =>
  tiffWithLateDirectory({ size: 20, magic: 'IIU\0', afterHeader: Buffer.from('88e774d8f8251d4d947a6e77822b5d6a', 'hex'), make: 'Panasonic', exifDate, photometric: 32803 });

/** A PNG's chunks, in order. */
function pngChunks(png: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) out.push(png.subarray(at, at + 12 + png.readUInt32BE(at)));
  return out;
}

/**
 * A PNG with its eXIf chunk after the image data, as Pillow writes it (the corpus's exif.png does,
 * without a DateTimeOriginal): moved there from where sharp writes it, every chunk kept whole.
 */
export function pngExifAfterImageData(png: Buffer): Buffer {
  const chunks = pngChunks(png);
  const type = (c: Buffer) => c.toString('latin1', 4, 8);
  const exif = chunks.find((c) => type(c) === 'eXIf');
  if (!exif) throw new Error('no eXIf chunk to move');
  const rest = chunks.filter((c) => c !== exif);
  const end = rest.findIndex((c) => type(c) === 'IEND');
  return Buffer.concat([png.subarray(0, 8), ...rest.slice(0, end), exif, ...rest.slice(end)]);
}
