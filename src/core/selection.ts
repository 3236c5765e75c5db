import { minimatch } from 'minimatch';
import type { ImageKind, SourceKind } from '../sources/types.js';

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

export function compileSelection(sel: Selection): (item: Selectable) => boolean {
  const glob = sel.path ? toSlashes(sel.path) : undefined;
  // A glob without a slash names files, as in .gitignore: "*.gif" matches at any depth.
  const globOptions = { dot: true, nocase: true, matchBase: glob !== undefined && !glob.includes('/') };
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
    if (glob && !minimatch(toSlashes(item.path), glob, globOptions)) return false;
    return true;
  };
}

/** True when the selection needs an item's hash, so the files must be read before choosing. */
export const needsHash = (sel: Selection) => sel.hashes !== undefined && sel.hashes.length > 0;
