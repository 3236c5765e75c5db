import os from 'node:os';
import { addMark, listMarks, removeMark, type NotDuplicateMark } from '../catalog/marks.js';
import { resolvePictures } from '../catalog/pictures.js';
import { usageError } from '../errors.js';
import { openVault } from '../vault/vault.js';

export type { NotDuplicateMark } from '../catalog/marks.js';

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

/**
 * `dedupe --not-duplicate H1 H2`: the two pictures are never grouped again, on any device that
 * uses this vault (catalog/marks.ts). Changes the vault, so it takes its lock.
 */
export async function markNotDuplicates(vaultDir: string, given: readonly string[], device = os.hostname()): Promise<{ a: string; b: string; added: boolean }> {
  const vault = await openVault(vaultDir, { write: true });
  try {
    const [a, b] = picturePair(vault.db, given);
    return { a, b, added: addMark(vault.db, a, b, device) };
  } finally {
    await vault.close();
  }
}

/** Takes a "not duplicates" mark back (the web page's undo). */
export async function unmarkNotDuplicates(vaultDir: string, given: readonly string[]): Promise<{ a: string; b: string; removed: boolean }> {
  const vault = await openVault(vaultDir, { write: true });
  try {
    const [a, b] = picturePair(vault.db, given);
    return { a, b, removed: removeMark(vault.db, a, b) };
  } finally {
    await vault.close();
  }
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
