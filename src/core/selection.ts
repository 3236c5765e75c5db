import { minimatch } from 'minimatch';
import type { ImageKind, SourceKind } from '../sources/types.js';
import type { Narrowing } from '../catalog/locations.js';

/**
 * What a command selects (SPEC "Selection"). Dates are compared as local "YYYY-MM-DD" strings:
 * before is exclusive, since inclusive, month exact. One predicate serves the files on disk and
 * the rows of the catalogue, so `archive` and `restore` can never disagree on what a flag means.
 */
export interface Selection {
  before?: string;
  since?: string;
  month?: string;
  /** Full hashes or prefixes of at least 6 hex digits. */
  hashes?: string[];
  path?: string;
  minSize?: number;
  sources?: SourceKind[];
  kinds?: ImageKind[];
  devices?: string[];
  /** Chat folder ids (md5), or prefixes of them. */
  chats?: string[];
}

export interface Selectable {
  taken: string;
  month: string;
  path: string;
  size: number;
  source: SourceKind;
  kind: ImageKind;
  device?: string;
  hash?: string;
  chat?: string | null;
}

const toSlashes = (p: string) => p.replace(/\\/g, '/');

/**
 * --path: a glob (minimatch, case-insensitive; without a slash it names files at any depth, as in
 * .gitignore), or the literal name or path it spells. QQ's Group2 names are full of glob
 * characters (`W}A0C2UN[VA8EL]QH6O@0[A.png`), and a backslash cannot escape them, since it is
 * Windows' separator: so a pattern that names a file letter for letter selects it whatever it
 * would mean as a glob. A character in brackets is literal too: `[[]`, `[{]`, `[*]`.
 */
export function pathMatcher(pattern: string): (p: string) => boolean {
  const glob = toSlashes(pattern);
  const nameOnly = !glob.includes('/');
  const literal = glob.toLowerCase();
  const options = { dot: true, nocase: true, matchBase: nameOnly };
  return (p) => {
    const item = toSlashes(p);
    if (minimatch(item, glob, options)) return true;
    const lower = item.toLowerCase();
    return nameOnly ? lower.slice(lower.lastIndexOf('/') + 1) === literal : lower === literal || lower.endsWith(literal.startsWith('/') ? literal : `/${literal}`);
  };
}

export function compileSelection(sel: Selection): (item: Selectable) => boolean {
  const pathMatches = sel.path ? pathMatcher(sel.path) : undefined;
  return (item) => {
    const day = item.taken.slice(0, 10);
    if (sel.before && !(day < sel.before)) return false;
    if (sel.since && !(day >= sel.since)) return false;
    if (sel.month && item.month !== sel.month) return false;
    if (sel.minSize !== undefined && item.size < sel.minSize) return false;
    if (sel.sources && !sel.sources.includes(item.source)) return false;
    if (sel.kinds && !sel.kinds.includes(item.kind)) return false;
    if (sel.devices && item.device !== undefined && !sel.devices.includes(item.device)) return false;
    if (sel.chats && !sel.chats.some((c) => item.chat?.toLowerCase().startsWith(c))) return false;
    if (sel.hashes && (item.hash === undefined || !sel.hashes.some((h) => item.hash!.startsWith(h)))) return false;
    if (pathMatches && !pathMatches(item.path)) return false;
    return true;
  };
}

/** True when the selection picks by date: a file's date must be known before it is chosen. */
export const selectsByDate = (sel: Selection) => sel.before !== undefined || sel.since !== undefined || sel.month !== undefined;

/** True when the selection needs an item's hash, so the files must be read before choosing. */
export const needsHash = (sel: Selection) => sel.hashes !== undefined && sel.hashes.length > 0;

/**
 * What of a selection the catalogue can look up by index (catalog/locations.ts): its hashes once
 * resolved to full ones (a prefix is not), its month.
 */
export function narrowing(sel: Selection): Narrowing {
  const full = sel.hashes?.every((h) => h.length === 16) ? sel.hashes : undefined;
  return { ...(full && { hashes: full }), ...(sel.month !== undefined && { month: sel.month }) };
}
