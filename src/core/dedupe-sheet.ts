import sharp from 'sharp';
import { locationsOfHash } from '../catalog/locations.js';
import { decodeDatProven, wechatAesKeys } from '../media/dat.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault, type Vault } from '../vault/vault.js';
import { ZipReader } from '../vault/zip-reader.js';
import type { DedupeReport, DuplicateGroup, DuplicateMember } from './dedupe.js';
import { escapeXml, imageInput } from './preview.js';
import { mapLimit } from './pool.js';

const TILE = 170;
const GAP = 10;
const HEAD = 26;
const LINE = 15;
const LABEL = 4 * LINE + 4;
const COLUMNS = 6;
const ROW = HEAD + TILE + LABEL + GAP;

export interface SheetOptions {
  /** Groups shown, largest first (by bytes that would go, then copies). */
  groups?: number;
  wechatKey?: string;
  /** A group's heading and a copy's label lines (up to four), in the user's language (the CLI's words). */
  heading: (group: DuplicateGroup, n: number) => string;
  label: (member: DuplicateMember, group: DuplicateGroup) => string[];
}

/**
 * `dedupe --sheet FILE`: a contact sheet (PNG) of the largest groups, a row each, the copy that
 * stays first with a green frame, copies that would go with a red one, references and vault copies
 * with a grey one; under each, what it is and how it matches. WeChat .dat copies are shown decoded,
 * the vault's copies read from their zips; a picture that cannot be decoded is a grey tile.
 */
export async function writeDedupeSheet(report: DedupeReport, out: string, options: SheetOptions): Promise<{ file: string; groups: number }> {
  const largest = [...report.groups].sort((a, b) => b.bytes - a.bytes || b.members.length - a.members.length).slice(0, options.groups ?? 8);
  const vault = report.vault && largest.some((g) => g.members.some((m) => m.where === 'vault')) ? await openVault(report.vault, { write: false }) : null;
  try {
    const width = COLUMNS * (TILE + GAP) + GAP;
    const height = Math.max(1, largest.length) * ROW + GAP;
    const layers = await mapLimit(largest, 2, async (group, g) => {
      const top = GAP + g * ROW;
      const head = svgText(options.heading(group, g + 1), width - 2 * GAP, HEAD, 15, '#fff');
      const tiles = await mapLimit(group.members.slice(0, COLUMNS), 3, async (m, i) => {
        const left = GAP + i * (TILE + GAP);
        const frame = m.match === 'kept' ? '#3c3' : m.removable ? '#e44' : '#999';
        return [
          { input: await tile(m, vault, frame, options.wechatKey), left, top: top + HEAD },
          { input: svgText(options.label(m, group).slice(0, 4).join('\n'), TILE, LABEL, 12, '#ddd'), left, top: top + HEAD + TILE },
        ];
      });
      return [{ input: head, left: GAP, top }, ...tiles.flat()];
    });
    await sharp({ create: { width, height, channels: 3, background: '#222' } }).composite(layers.flat()).png().toFile(out);
    return { file: out, groups: largest.length };
  } finally {
    await vault?.close();
  }
}

/** One copy as a framed square tile. */
async function tile(m: DuplicateMember, vault: Vault | null, frame: string, wechatKey?: string): Promise<Buffer> {
  const input = m.where === 'vault' ? await storedBytes(m, vault, wechatKey) : await imageInput(m.path, wechatKey).catch(() => null);
  const inner = TILE - 6;
  const picture = input
    ? await sharp(input, { failOn: 'none', autoOrient: true, limitInputPixels: 1 << 28 })
        .resize(inner, inner, { fit: 'contain', background: '#333' })
        .toBuffer()
        .catch(() => null)
    : null;
  const fill = picture ?? (await sharp({ create: { width: inner, height: inner, channels: 3, background: '#777' } }).png().toBuffer());
  return sharp({ create: { width: TILE, height: TILE, channels: 3, background: frame } }).composite([{ input: fill, left: 3, top: 3 }]).png().toBuffer();
}

/** A vault copy's bytes from its zip (decoded, for a .dat); null when they cannot be read. */
async function storedBytes(m: DuplicateMember, vault: Vault | null, wechatKey?: string): Promise<Buffer | null> {
  const place = vault ? locationsOfHash(vault.db, m.hash)[0] : undefined;
  if (!vault || !place) return null;
  const reader = await ZipReader.open(absArchivePath(vault.dir, place.archive)).catch(() => null);
  try {
    const bytes = await reader?.readEntry(place.entry).catch(() => null);
    return bytes && place.ext === 'dat' ? ((await decodeDatProven(bytes, { aesKeys: wechatAesKeys(wechatKey) }))?.picture ?? bytes) : (bytes ?? null);
  } finally {
    await reader?.close();
  }
}

/** Lines of text, each cut to fit the width, as an SVG sharp can lay over the sheet. */
function svgText(text: string, width: number, height: number, size: number, colour: string): Buffer {
  const lines = text.split('\n').map((l) => fitted(l, width - 6, size));
  const tspans = lines.map((l, i) => `<text x="3" y="${size + 2 + i * LINE}" font-family="sans-serif" font-size="${size}" fill="${colour}">${escapeXml(l)}</text>`).join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${tspans}</svg>`);
}

/** A line cut with an ellipsis to about `width` pixels: a CJK character is a full em wide, others about 0.55. */
function fitted(line: string, width: number, size: number): string {
  let used = 0;
  let out = '';
  for (const ch of line) {
    used += (/[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uffe6]/.test(ch) ? 1 : 0.55) * size;
    if (used > width - 0.6 * size) return `${out}…`;
    out += ch;
  }
  return out;
}
