import sharp from 'sharp';
import { locationsOfHash } from '../../catalog/locations.js';
import { decodeDatProven, wechatAesKeys } from '../../media/dat.js';
import { absArchivePath } from '../../vault/layout.js';
import { openVault, type Vault } from '../../vault/vault.js';
import { ZipReader } from '../../vault/zip-reader.js';
import type { DedupeReport, DuplicateGroup, DuplicateMember } from '../dedupe.js';
import { groupNumbers } from './groups.js';
import { ENGLISH_NO_PICTURE, escapeXml, fittedLine, imageInput, wordsTile, type NoPictureWords } from '../preview.js';
import { mapLimit } from '../../engine/pool.js';

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
  /**
   * A group's heading (`n` its number in the text, `shown` the copies with a tile: a row holds
   * COLUMNS) and a copy's label lines (up to four), in the user's language (the CLI's words).
   */
  heading: (group: DuplicateGroup, n: number, shown: number) => string;
  label: (member: DuplicateMember, group: DuplicateGroup) => string[];
  /** The words on a tile with no picture (its type and why). */
  noPicture?: NoPictureWords;
}

/**
 * `dedupe --sheet FILE`: a contact sheet (PNG) of the largest groups, a row each, the copy that
 * stays first with a green frame, copies that would go with a red one, references and vault copies
 * with a grey one; under each, what it is and how it matches. WeChat .dat copies are shown decoded,
 * the vault's copies read from their zips; a picture that cannot be drawn is a grey tile saying its type and why.
 */
export async function writeDedupeSheet(report: DedupeReport, out: string, options: SheetOptions): Promise<{ file: string; groups: number }> {
  // The largest groups, shown in the text's order with the text's numbers.
  const numbers = groupNumbers(report.groups);
  const chosen = new Set([...report.groups].sort((a, b) => b.bytes - a.bytes || b.members.length - a.members.length).slice(0, options.groups ?? 8));
  const largest = report.groups.filter((g) => chosen.has(g));
  const vault = report.vault && largest.some((g) => g.members.some((m) => m.where === 'vault')) ? await openVault(report.vault, { write: false }) : null;
  try {
    const width = COLUMNS * (TILE + GAP) + GAP;
    const height = Math.max(1, largest.length) * ROW + GAP;
    const layers = await mapLimit(largest, 2, async (group, g) => {
      const top = GAP + g * ROW;
      const shown = group.members.slice(0, COLUMNS);
      const head = svgText(options.heading(group, numbers.get(group)!, shown.length), width - 2 * GAP, HEAD, 15, '#fff');
      const tiles = await mapLimit(shown, 3, async (m, i) => {
        const left = GAP + i * (TILE + GAP);
        const frame = m.match === 'kept' ? '#3c3' : m.removable ? '#e44' : '#999';
        return [
          { input: await tile(m, vault, frame, options.noPicture ?? ENGLISH_NO_PICTURE, options.wechatKey), left, top: top + HEAD },
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
async function tile(m: DuplicateMember, vault: Vault | null, frame: string, words: NoPictureWords, wechatKey?: string): Promise<Buffer> {
  const input = m.where === 'vault' ? await storedBytes(m, vault, wechatKey) : await imageInput(m.path, wechatKey).catch(() => null);
  const inner = TILE - 6;
  const picture = input
    ? await sharp(input, { failOn: 'none', autoOrient: true, limitInputPixels: 1 << 28 })
        .resize(inner, inner, { fit: 'contain', background: '#333' })
        .toBuffer()
        .catch(() => null)
    : null;
  const fill = picture ?? (await wordsTile(inner, inner, words(m.type.toUpperCase(), input ? 'undecodable' : 'unreadable')));
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
  const lines = text.split('\n').map((l) => fittedLine(l, width - 6, size));
  const tspans = lines.map((l, i) => `<text x="3" y="${size + 2 + i * LINE}" font-family="sans-serif" font-size="${size}" fill="${colour}">${escapeXml(l)}</text>`).join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${tspans}</svg>`);
}

