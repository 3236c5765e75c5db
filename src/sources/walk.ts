import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { holdsVault, isOwnTemporaryName } from './own-files.js';
import { NAME_NOT_UTF8, undecodableNames } from './raw-names.js';
import { ALLOWED_INSIDE_MSG, isInside, isProtectedFileName, isProtectedFolderName } from './protected.js';

export interface WalkedFile {
  path: string;
  /** The folder it is in, as walked, and its name there: the parts of path. */
  dir: string;
  name: string;
  size: number;
  mtimeMs: number;
  birthtimeMs: number;
}

export interface WalkOptions {
  /** Folders never entered (the vault itself, when it sits inside a source). */
  exclude: readonly string[];
  /** Called with a path that could not be read; the walk goes on. */
  onUnreadable?: (p: string, err: unknown) => void;
}

const isDirectory = (p: string) => {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Every regular file below root, depth first, with its stat. Symbolic links are not followed
 * (a link could lead outside the source), protected folders and vaults (holdsVault) are not
 * entered, and picvault's own temporary files (a killed restore's or archive's, see own-files.ts)
 * are never yielded. Each folder is read and its files stat'ed synchronously: a cache is tens of thousands of small files, and a
 * promise per stat cost 0.5 s per 20 000 files where the system calls cost a tenth of that. The
 * generator is synchronous too (an async one cost a promise per file): its consumer hands the
 * event loop back between batches (see scanEach).
 */
export function* walkFiles(root: string, options: WalkOptions): Generator<WalkedFile> {
  const start = path.normalize(root);
  // Only an excluded folder inside the root (or holding it) can be met on the way: the others are
  // not checked at every folder (a Group2 cache has 17 000 of them; path.relative is 3 µs each).
  const exclude = options.exclude.filter((ex) => isInside(start, ex) || isInside(ex, start));
  const stack = [start];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    if (exclude.length > 0 && exclude.some((ex) => isInside(ex, dir))) continue;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      options.onUnreadable?.(dir, err);
      continue;
    }
    if (holdsVault(entries)) continue;
    // dir is normalised (the root is resolved, each folder below it made here) and a name from
    // readdir is one plain component, so this is what path.join gives, without its normalising
    // (70 ms per 20 000 files).
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    // A name that is not valid UTF-8 opens nothing (see raw-names.ts): named and skipped, with why.
    const undecodable = entries.some((e) => e.name.includes('\uFFFD')) ? undecodableNames(dir) : null;
    for (const shown of undecodable?.shown ?? []) options.onUnreadable?.(prefix + shown, Object.assign(new Error(NAME_NOT_UTF8), { code: NAME_NOT_UTF8 }));
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (undecodable?.decoded.has(entry.name)) continue;
      const p = prefix + entry.name;
      if (entry.isDirectory()) {
        if (!isProtectedFolderName(entry.name)) stack.push(p);
        else if (entry.name.toLowerCase() === 'msg') {
          for (const inside of ALLOWED_INSIDE_MSG) if (isDirectory(path.join(p, inside))) stack.push(path.join(p, inside));
        }
      } else if (entry.isFile() && !isProtectedFileName(entry.name) && !isOwnTemporaryName(entry.name)) {
        let s: Stats;
        try {
          s = lstatSync(p);
        } catch (err) {
          options.onUnreadable?.(p, err);
          continue;
        }
        // Each file as it is stat'ed: a folder of 100 000 files is not held as a list first.
        if (s.isFile()) yield { path: p, dir, name: entry.name, size: s.size, mtimeMs: s.mtimeMs, birthtimeMs: s.birthtimeMs };
      }
    }
  }
}
