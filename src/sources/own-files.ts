import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { ARCHIVES_DIR, DB_FILE } from '../vault/layout.js';

/**
 * The temporary files picvault writes outside the vault, and how to know one again. A restore
 * writes each file under a temporary name beside its target (so the rename is atomic); archive
 * writes each zip under one inside the vault. A run killed mid-file leaves such a name behind:
 * the walk never selects one (a truncated image must not be archived as a picture), and the next
 * restore into that folder removes the restore's own (see restore-folders.ts).
 *
 * A restore's temporary name is short and fixed in shape, whatever the target's name: a legal
 * name of 255 bytes plus any decoration would pass the file system's limit. It carries the
 * writer's process id, so a leftover can be told from a file another restore is writing now.
 */
const PART = /^\.picvault-(\d{1,10})-[0-9a-f]{8}\.part$/;
/** Earlier versions' name: `.<target name>.<8 hex>.picvault-part`, past the limit for a long target name. */
const LEGACY_PART = /^\..+\.[0-9a-f]{8}\.picvault-part$/;
/** Archive's zips in the writing: `.<YYYY-MM>_<12 hex>.zip.partial` (zip-parts.ts). */
const ZIP_PARTIAL = /^\.\d{4}-\d{2}_[0-9a-f]{12}\.zip\.partial$/;

/** A new temporary name for a file this process restores: `.picvault-<pid>-<8 hex>.part`. */
export function restorePartName(pid = process.pid): string {
  return `.picvault-${pid}-${randomBytes(4).toString('hex')}.part`;
}

/**
 * Whose a restore's temporary file is: the process id that writes it, 'legacy' for a name from
 * before process ids were in it, or null for any other name.
 */
export function restorePartOwner(name: string): number | 'legacy' | null {
  const m = PART.exec(name);
  if (m) return Number(m[1]);
  return LEGACY_PART.test(name) ? 'legacy' : null;
}

/** True for a temporary file of picvault's own: never a user's picture, never selected. */
export function isOwnTemporaryName(name: string): boolean {
  // Every one starts with a dot: the walk asks for every file of a cache, nearly none of which do.
  return name.charCodeAt(0) === 0x2e && (restorePartOwner(name) !== null || ZIP_PARTIAL.test(name));
}

/**
 * A folder's entries are a vault's (its catalogue beside its archives folder): picvault's own
 * files, never a user's pictures, wherever the vault sits. A vault made inside a source folder
 * (or an old one left there) is skipped by the walk, so scan does not count its zips as files
 * that are not images and archive does not store its own archives.
 */
export function holdsVault(entries: readonly Dirent[]): boolean {
  let db = false;
  let archives = false;
  for (const e of entries) {
    if (e.name === DB_FILE && e.isFile()) db = true;
    else if (e.name === ARCHIVES_DIR && e.isDirectory()) archives = true;
  }
  return db && archives;
}
