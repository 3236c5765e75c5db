import { chmod, readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decodeDatProven, wechatAesKeys } from '../media/dat.js';
import { mapLimit } from './pool.js';

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

/**
 * A contact sheet of a random sample of the images about to be deleted, each with its month, so
 * the user sees what goes before saying yes. An image sharp cannot decode becomes a grey tile.
 * Written mode 0600: it shows the user's private pictures.
 */
export async function writeContactSheet(files: readonly PreviewFile[], out: string, options: { count?: number; wechatKey?: string } = {}): Promise<Preview> {
  const count = options.count ?? 24;
  const picked = sample(files, count).sort((a, b) => a.month.localeCompare(b.month));
  const rows = Math.max(1, Math.ceil(picked.length / COLUMNS));
  const width = COLUMNS * (TILE + GAP) + GAP;
  const height = rows * (TILE + LABEL + GAP) + GAP;
  // A few at a time: a sample of full-size photos decoded at once costs hundreds of MB.
  const tiles = await mapLimit(picked, 4, async (f, i) => {
      const left = GAP + (i % COLUMNS) * (TILE + GAP);
      const top = GAP + Math.floor(i / COLUMNS) * (TILE + LABEL + GAP);
      const image = await sharp(await imageInput(f.path, options.wechatKey), { failOn: 'none', limitInputPixels: 1 << 28 })
        .resize(TILE, TILE, { fit: 'cover' })
        .png()
        .toBuffer()
        .catch(() => sharp({ create: { width: TILE, height: TILE, channels: 3, background: '#777' } }).png().toBuffer());
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
