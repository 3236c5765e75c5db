import { lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../errors.js';
import { restorePartOwner } from '../sources/own-files.js';
import { isInside } from '../sources/protected.js';
import { processGone } from '../vault/process-alive.js';

/**
 * A temporary file of a restore that is still running is written, dated and renamed within
 * seconds; one untouched for an hour is a leftover even if its pid now names a live process.
 */
const ABANDONED_MS = 60 * 60 * 1000;

/**
 * The folders a restore writes into. A folder below the destination is made one level at a time,
 * and each level is looked at (lstat) before the next is made inside it: a symlink planted at
 * `DEST/<device>`, or at any level, is followed only when its real path lies inside the real
 * destination, so no folder is ever made outside it (`mkdir -p` and a check afterwards would have
 * made the whole tree first). Each folder is checked once a run, and the first time a restore
 * enters one it removes the temporary files a killed restore left there (none in one it just made).
 */
export class RestoreFolders {
  private readonly checked = new Map<string, boolean>();
  private readonly realRoots = new Map<string, string>();
  /** Folders just made, until entered: empty, so no killed restore's leftovers to look for (a Group2 cache restores into 17 000 folders). */
  private readonly made = new Set<string>();

  /**
   * True when `dir` is (now) a folder inside `root`, through any symlink; false when it would
   * lead outside. A file where a folder should be, or a folder that cannot be made, throws.
   */
  enter(dir: string, root: string): boolean {
    const known = this.checked.get(dir);
    if (known !== undefined) return known;
    let safe: boolean;
    if (dir === root) {
      // The destination itself: named by the user (--to), or a folder restore may write in.
      mkdirSync(root, { recursive: true });
      safe = true;
    } else {
      const parent = path.dirname(dir);
      safe = parent !== dir && isInside(root, dir) && this.enter(parent, root) && this.step(dir, root);
    }
    this.checked.set(dir, safe);
    if (safe && !this.made.delete(dir)) removeLeftovers(dir);
    return safe;
  }

  /** One level below a folder already checked: made if absent, then looked at. */
  private step(dir: string, root: string): boolean {
    let st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) {
      try {
        mkdirSync(dir);
        this.made.add(dir);
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw err;
      }
      st = lstatSync(dir);
    }
    if (st.isDirectory()) return true;
    if (!st.isSymbolicLink()) throw Object.assign(new Error(`ENOTDIR: not a folder: ${dir}`), { code: 'ENOTDIR', path: dir });
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return false; // a link to nowhere
    }
    return isInside(this.realRoot(root), real) && statSync(real).isDirectory();
  }

  private realRoot(root: string): string {
    let real = this.realRoots.get(root);
    if (real === undefined) this.realRoots.set(root, (real = realpathSync(root)));
    return real;
  }
}

/**
 * Removes the temporary files a killed restore left in `dir`: those of a process that is gone,
 * those of earlier versions, and any untouched for an hour. A file another restore is writing
 * now is left alone.
 */
export function removeLeftovers(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const owner = restorePartOwner(name);
    if (owner === null) continue;
    const file = path.join(dir, name);
    const abandoned = owner === 'legacy' || processGone(owner) || Date.now() - (lstatSync(file, { throwIfNoEntry: false })?.ctimeMs ?? 0) > ABANDONED_MS;
    if (!abandoned) continue;
    try {
      rmSync(file, { force: true });
      removed++;
    } catch {
      // the folder is the user's: a leftover that cannot be removed stays, and is never selected
    }
  }
  return removed;
}
