import type { Db } from './db.js';

/**
 * What the user said of duplicates, kept in the vault's catalogue so every device that uses the
 * vault honours it:
 * - "not duplicates" (migrations/0008): two pictures that are different, whatever their hashes
 *   say; dedupe never groups them again. Pairs are stored in order (a < b).
 * - "keep this copy" (migrations/0011): the copy of a group that stays, named by the picture it
 *   shows, the device that saw it and its path there.
 */
export interface NotDuplicateMark {
  a: string;
  b: string;
  device: string;
  createdAt: string;
}

const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/** Marks a pair; false when it was marked already. */
export function addMark(db: Db, x: string, y: string, device: string): boolean {
  const [a, b] = ordered(x, y);
  return db.prepare('INSERT OR IGNORE INTO not_duplicates (a, b, device, created_at) VALUES (?, ?, ?, ?)').run(a, b, device, new Date().toISOString()).changes === 1;
}

/** Takes a mark back; false when there was none. */
export function removeMark(db: Db, x: string, y: string): boolean {
  const [a, b] = ordered(x, y);
  return db.prepare('DELETE FROM not_duplicates WHERE a = ? AND b = ?').run(a, b).changes === 1;
}

export const listMarks = (db: Db) =>
  db.prepare('SELECT a, b, device, created_at AS createdAt FROM not_duplicates ORDER BY created_at, a, b').all() as NotDuplicateMark[];

/** A copy of a picture: the place a device saw it. */
export interface CopyRef {
  picture: string;
  device: string;
  path: string;
}

export interface KeepMark extends CopyRef {
  /** The device where the mark was made. */
  markedOn: string;
  createdAt: string;
}

/**
 * Marks a copy to keep, in place of any copy of `groupPictures` marked before: a group keeps one
 * copy, and a picture is in one group. One transaction.
 */
export function setKeepMark(db: Db, copy: CopyRef, groupPictures: readonly string[], markedOn: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM keep_marks WHERE picture IN (SELECT value FROM json_each(?))').run(JSON.stringify([...new Set([...groupPictures, copy.picture])]));
    db.prepare('INSERT INTO keep_marks (picture, device, path, marked_on, created_at) VALUES (?, ?, ?, ?, ?)').run(
      copy.picture, copy.device, copy.path, markedOn, new Date().toISOString(),
    );
  })();
}

/** Takes a keep mark back; false when there was none. */
export function removeKeepMark(db: Db, copy: CopyRef): boolean {
  return db.prepare('DELETE FROM keep_marks WHERE picture = ? AND device = ? AND path = ?').run(copy.picture, copy.device, copy.path).changes === 1;
}

export const listKeepMarks = (db: Db) =>
  db.prepare('SELECT picture, device, path, marked_on AS markedOn, created_at AS createdAt FROM keep_marks ORDER BY created_at, picture').all() as KeepMark[];
