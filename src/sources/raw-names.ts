import { readdirSync } from 'node:fs';

/**
 * File names that are not valid UTF-8 (Linux and macOS allow any bytes; Windows any UTF-16, lone
 * surrogates included). Node reads them with U+FFFD in place of the bad bytes, a name that opens
 * nothing: such a file is skipped, and named with those bytes shown as \xNN so the user can find
 * it and rename it.
 */
export const NAME_NOT_UTF8 = 'name-not-utf8';

/** The bytes of a name as text, each byte that is not part of valid UTF-8 as \xNN. */
export function showRawName(raw: Buffer): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const lead = raw[i];
    const n = lead < 0x80 ? 1 : lead >= 0xf8 ? 0 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    const text = n > 0 && i + n <= raw.length ? raw.subarray(i, i + n).toString('utf8') : '';
    if (text !== '' && Buffer.byteLength(text) === n && !text.includes('\uFFFD')) {
      out += text;
      i += n;
    } else {
      out += `\\x${lead.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/**
 * The names in `dir` that are not valid UTF-8: as Node gives them (to leave out of the walk) and
 * as they are shown. Read again as bytes only when a name with U+FFFD was seen: a rare folder.
 */
export function undecodableNames(dir: string): { decoded: Set<string>; shown: string[] } {
  const decoded = new Set<string>();
  const shown: string[] = [];
  let raws: Buffer[] = [];
  try {
    raws = readdirSync(dir, { encoding: 'buffer' });
  } catch {
    // gone since: nothing to name
  }
  for (const raw of raws) {
    const name = raw.toString('utf8');
    if (Buffer.from(name).equals(raw)) continue;
    decoded.add(name);
    shown.push(showRawName(raw));
  }
  return { decoded, shown };
}
