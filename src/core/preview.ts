import { chmod, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeDatProven, wechatAesKeys } from '../media/dat.js';
import { sniffImage } from '../media/sniff.js';
import { mapLimit } from '../engine/pool.js';

export interface PreviewFile {
  path: string;
  month: string;
}

export interface Preview {
  file: string;
  sampled: PreviewFile[];
}

const TILE = 160;
const LABEL = 24;
const GAP = 8;
const COLUMNS = 6;

/** A random sample without replacement (Fisher–Yates on a copy, stopped at n). */
export function sample<T>(items: readonly T[], n: number, random: () => number = Math.random): T[] {
  const copy = [...items];
  const count = Math.min(n, copy.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

/** A WeChat .dat is shown as the picture inside it; anything else is read by sharp from its path. */
export async function imageInput(file: string, wechatKey?: string): Promise<string | Buffer> {
  if (!/\.dat$/i.test(file)) return file;
  const raw = await readFile(file);
  return (await decodeDatProven(raw, { aesKeys: wechatAesKeys(wechatKey) }))?.picture ?? raw;
}

export const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Why a tile shows no picture: this sheet cannot decode its type (HEIC, RAW, a .dat with no key), or its bytes could not be read. */
export type NoPicture = 'undecodable' | 'unreadable';

/** The lines written on a tile with no picture: what it is (its type, upper case) and why, in the user's language. */
export type NoPictureWords = (type: string, why: NoPicture) => string[];

/** The words where no language is given (the demo's sheet). */
export const ENGLISH_NO_PICTURE: NoPictureWords = (type, why) => [type, why === 'unreadable' ? 'could not be read' : 'no preview: cannot be decoded here'];

/** A file's type for a tile with no picture: from its first bytes (a HEIC named .jpg is HEIC), else its extension. */
export async function typeOfFile(file: string): Promise<string> {
  const head = Buffer.alloc(4096);
  const read = await open(file)
    .then(async (h) => {
      try {
        return (await h.read(head, 0, head.length, 0)).bytesRead;
      } finally {
        await h.close();
      }
    })
    .catch(() => 0);
  const sniffed = read > 0 ? await sniffImage(head.subarray(0, read)).catch(() => null) : null;
  return (sniffed ?? (path.extname(file).slice(1) || '?')).toUpperCase();
}

/** A grey tile with its words centred, each line cut to the tile's width. */
export function wordsTile(width: number, height: number, lines: readonly string[]): Promise<Buffer> {
  const size = 13;
  const top = (height - lines.length * (size + 4)) / 2 + size;
  const text = lines.map((l, i) => `<text x="${width / 2}" y="${top + i * (size + 4)}" text-anchor="middle" font-family="sans-serif" font-size="${size}" fill="#fff">${escapeXml(fittedLine(l, width - 8, size))}</text>`).join('');
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${text}</svg>`);
  return sharp({ create: { width, height, channels: 3, background: '#777' } }).composite([{ input: svg, left: 0, top: 0 }]).png().toBuffer();
}

/** A line cut with an ellipsis to about `width` pixels: a CJK character is a full em wide, others about 0.55. */
export function fittedLine(line: string, width: number, size: number): string {
  let used = 0;
  let out = '';
  for (const ch of line) {
    used += (/[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uffe6]/.test(ch) ? 1 : 0.55) * size;
    if (used > width - 0.6 * size) return `${out}…`;
    out += ch;
  }
  return out;
}

/**
 * A contact sheet of a random sample of the images about to be deleted, each with its month, so
 * the user sees what goes before saying yes. An image that cannot be drawn (a HEIC, a damaged
 * file) is a grey tile saying its type and why. Written mode 0600: it shows the user's private pictures.
 */
export async function writeContactSheet(
  files: readonly PreviewFile[],
  out: string,
  options: { count?: number; wechatKey?: string; noPicture?: NoPictureWords } = {},
): Promise<Preview> {
  const words = options.noPicture ?? ENGLISH_NO_PICTURE;
  const count = options.count ?? 24;
  const picked = sample(files, count).sort((a, b) => a.month.localeCompare(b.month));
  const rows = Math.max(1, Math.ceil(picked.length / COLUMNS));
  const width = COLUMNS * (TILE + GAP) + GAP;
  const height = rows * (TILE + LABEL + GAP) + GAP;
  // A few at a time: a sample of full-size photos decoded at once costs hundreds of MB.
  const tiles = await mapLimit(picked, 4, async (f, i) => {
      const left = GAP + (i % COLUMNS) * (TILE + GAP);
      const top = GAP + Math.floor(i / COLUMNS) * (TILE + LABEL + GAP);
      const input = await imageInput(f.path, options.wechatKey).catch(() => null);
      const drawn = input
        ? await sharp(input, { failOn: 'none', limitInputPixels: 1 << 28 }).resize(TILE, TILE, { fit: 'cover' }).png().toBuffer().catch(() => null)
        : null;
      const image = drawn ?? (await wordsTile(TILE, TILE, words(await typeOfFile(f.path), input ? 'undecodable' : 'unreadable')));
      const label = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${TILE}" height="${LABEL}"><text x="4" y="17" font-family="sans-serif" font-size="14" fill="#eee">${escapeXml(f.month)}</text></svg>`,
      );
      return [
        { input: image, left, top },
        { input: label, left, top: top + TILE },
      ];
  });
  const png = await sharp({ create: { width, height, channels: 3, background: '#222' } }).composite(tiles.flat()).png().toBuffer();
  // Private pictures: readable by this user only, also when the file was there before.
  await writeFile(out, png, { mode: 0o600 });
  await chmod(out, 0o600);
  return { file: out, sampled: picked };
}
