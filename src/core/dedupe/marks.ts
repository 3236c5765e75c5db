import os from 'node:os';
import type { Db } from '../../catalog/db.js';
import { addMark, listKeepMarks, listMarks, removeKeepMark, removeMark, setKeepMark, type CopyRef, type KeepMark, type NotDuplicateMark } from '../../catalog/marks.js';
import { resolvePictures } from '../../catalog/pictures.js';
import { usageError } from '../../errors.js';
import { openVault } from '../../vault/vault.js';
import { KeptCopies } from './keep.js';

export type { CopyRef, KeepMark, NotDuplicateMark } from '../../catalog/marks.js';

/**
 * Two pictures, as the user gave them: a full hash is taken as it is (a picture dedupe showed
 * without a vault need not be in it); a prefix must name one picture the vault knows.
 */
function picturePair(db: Parameters<typeof resolvePictures>[0], given: readonly string[]): [string, string] {
  if (given.length !== 2) throw usageError('dedupe.markTwo', { count: given.length });
  const [a, b] = given.map((h) => (h.length === 16 ? h : resolvePictures(db, [h])[0]));
  if (a === b) throw usageError('dedupe.markSame', { hash: a });
  return [a, b];
}

/** A change to the vault's marks: under its lock, as every change to a vault is. */
async function withLockedVault<T>(vaultDir: string, change: (db: Db) => T): Promise<T> {
  const vault = await openVault(vaultDir, { write: true });
  try {
    return change(vault.db);
  } finally {
    await vault.close();
  }
}

/**
 * `dedupe --not-duplicate H1 H2`: the two pictures are never grouped again, on any device that
 * uses this vault (catalog/marks.ts). Changes the vault, so it takes its lock.
 */
export function markNotDuplicates(vaultDir: string, given: readonly string[], device = os.hostname()): Promise<{ a: string; b: string; added: boolean }> {
  return withLockedVault(vaultDir, (db) => {
    const [a, b] = picturePair(db, given);
    return { a, b, added: addMark(db, a, b, device) };
  });
}

/** Takes a "not duplicates" mark back (the web page's undo). */
export function unmarkNotDuplicates(vaultDir: string, given: readonly string[]): Promise<{ a: string; b: string; removed: boolean }> {
  return withLockedVault(vaultDir, (db) => {
    const [a, b] = picturePair(db, given);
    return { a, b, removed: removeMark(db, a, b) };
  });
}

/** Every mark, oldest first. */
export async function notDuplicateMarks(vaultDir: string): Promise<NotDuplicateMark[]> {
  const vault = await openVault(vaultDir, { write: false });
  try {
    return listMarks(vault.db);
  } finally {
    await vault.close();
  }
}

const isPicture = (h: string) => /^[0-9a-f]{16}$/.test(h);

/**
 * "Keep this copy" (set on the web page): of the group that holds `groupPictures`, this copy stays,
 * whatever the keep rules say, on every device that uses the vault; only a copy in a reference
 * folder beats it (docs/dedupe.md). A group keeps one marked copy: the mark replaces any other
 * on the group's pictures. Changes the vault, so it takes its lock.
 */
export async function markKept(vaultDir: string, copy: CopyRef, groupPictures: readonly string[], device = os.hostname()): Promise<void> {
  if (![copy.picture, ...groupPictures].every(isPicture)) throw usageError('hash.bad', { value: [copy.picture, ...groupPictures].find((h) => !isPicture(h)) ?? '' });
  return withLockedVault(vaultDir, (db) => setKeepMark(db, copy, groupPictures, device));
}

/** Takes a "keep this copy" mark back: the keep rules choose again. */
export function unmarkKept(vaultDir: string, copy: CopyRef): Promise<boolean> {
  return withLockedVault(vaultDir, (db) => removeKeepMark(db, copy));
}

/** What dedupe honours when it groups: the "not duplicates" pairs and the copies marked to keep. */
export interface DedupeMarks {
  /** Picture pairs as `a:b` with a < b. */
  notDuplicates: ReadonlySet<string>;
  kept: KeptCopies;
}

export const NO_MARKS: DedupeMarks = { notDuplicates: new Set(), kept: new KeptCopies([]) };

/** The marks a vault's catalogue holds, as dedupe uses them. */
export function readMarks(db: Db): DedupeMarks {
  return { notDuplicates: new Set(listMarks(db).map((m) => `${m.a}:${m.b}`)), kept: new KeptCopies(listKeepMarks(db)) };
}

/** Both kinds of marks as they are listed (the web page lists them, each with its undo). */
export function listedMarks(db: Db): { notDuplicates: NotDuplicateMark[]; kept: KeepMark[] } {
  return { notDuplicates: listMarks(db), kept: listKeepMarks(db) };
}
