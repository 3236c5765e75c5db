import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../catalog/db.js';
import { storedAmong } from '../catalog/images.js';
import { recordArchive, type ArchiveRow } from '../catalog/record.js';
import { absArchivePath, archiveRelPath, monthDir } from '../vault/layout.js';
import type { Manifest } from '../vault/manifest.js';
import type { Vault } from '../vault/vault.js';
import { PicvaultError, EXIT } from '../errors.js';
import type { MonthPlan } from '../core/archive-plan.js';
import type { Skipped } from '../core/scan.js';
import type { WrittenPart, ZipJob, ZipJobResult } from './zip-parts.js';

export interface WrittenArchive {
  name: string;
  month: string;
  bytes: number;
  images: number;
  locations: number;
}

/** A zip flushed, renamed and read back whole, waiting for its catalogue commit. */
export interface SealedArchive extends WrittenArchive {
  row: ArchiveRow;
  manifest: Manifest;
}

/**
 * The work a month's writing hands to the reader threads: writing its zips (a new image is read,
 * checked against the hash the plan was made with and stored; a file that changed since is not
 * stored under a hash it no longer has, and any place holding the same bytes will do; see
 * zip-parts.ts), and the read-back of a renamed zip, every entry re-hashed (what is wrong, empty
 * when whole).
 */
export interface MonthIo {
  writeZips(job: ZipJob): Promise<ZipJobResult>;
  check(zip: string): Promise<string[]>;
}

export interface MonthWriteOptions {
  io: MonthIo;
  maxArchiveSize: number;
  /** Resolves when this month may rename its zips: every earlier month has renamed all of its own. */
  mayRename?: () => Promise<void>;
  forceZip64?: boolean;
  /** Hashes skipped because their file changed or vanished since it was hashed. */
  skipped: Skipped[];
  /** WeChat 4.x V2 account key: V2 .dat files stored as their pictures are decoded again with it. */
  wechatKey?: string;
}

/**
 * Writes one month's zips (in a reader thread), then renames each once the months before have
 * renamed theirs, makes the rename durable and reads the zip back whole; the caller catalogues
 * them (see orderedCommitter).
 */
export async function writeMonth(vault: Vault, plan: MonthPlan, options: MonthWriteOptions): Promise<SealedArchive[]> {
  const dir = monthDir(vault.dir, plan.month);
  await mkdir(dir, { recursive: true });
  const { parts, dropped } = await options.io.writeZips({
    dir,
    month: plan.month,
    images: plan.newImages.map((img) => ({
      hash: img.hash, size: img.size, ext: img.ext, decodedExt: img.decodedExt ?? null, date: img.date, sources: img.from,
    })),
    locations: plan.locations,
    maxArchiveSize: options.maxArchiveSize,
    forceZip64: options.forceZip64 ?? false,
    wechatKey: options.wechatKey,
  });
  const gone = new Set(dropped);
  for (const img of plan.newImages) if (gone.has(img.hash)) for (const f of img.from) options.skipped.push({ path: f.path, reason: 'changed' });
  const sealed: SealedArchive[] = [];
  for (const [i, part] of parts.entries()) {
    try {
      const manifest: Manifest = { ...part.manifest, locations: Array.from(part.locations, (l) => plan.locations[l]) };
      sealed.push(await sealPart(vault, plan.month, part, manifest, options));
    } catch (err) {
      // Parts not renamed yet never will be: their temporary files go.
      await Promise.all(parts.slice(i).map((p) => rm(p.tmp, { force: true })));
      throw err;
    }
  }
  return sealed;
}

async function sealPart(vault: Vault, month: string, part: WrittenPart, manifest: Manifest, options: MonthWriteOptions): Promise<SealedArchive> {
  const name = archiveRelPath(month, part.xxh64);
  const final = absArchivePath(vault.dir, name);
  await fsyncFile(part.tmp); // the bytes are on disk before the zip has its name (SPEC invariant 2)
  await options.mayRename?.();
  await rename(part.tmp, final);
  await fsyncDir(path.dirname(final));
  const damage = await options.io.check(final);
  if (damage.length > 0) {
    await rm(final, { force: true });
    throw new PicvaultError('archive.readback', { archive: name, damage: damage.join('; ') }, EXIT.damaged);
  }
  const row: ArchiveRow = { name, month, xxh64: part.xxh64, bytes: part.bytes, createdAt: manifest.createdAt, verifiedAt: new Date().toISOString() };
  return { name, month, bytes: part.bytes, images: manifest.images.length, locations: manifest.locations.length, row, manifest };
}

/**
 * Months are written concurrently, but renamed in month order: a later month's manifest may refer
 * to images an earlier month's zip stores, so a run killed at any instant leaves final-named zips
 * for a prefix of its months (and recovery never meets a place whose image has no zip).
 */
export function renameGate(): { mayRename(index: number): () => Promise<void>; monthDone(index: number): void; abort(err: unknown): void } {
  const settle = new Map<number, { resolve: () => void; reject: (err: unknown) => void }>();
  const done = new Map<number, Promise<void>>();
  let aborted: { err: unknown } | null = null;
  const promiseFor = (i: number) => {
    if (!done.has(i)) {
      const p = new Promise<void>((resolve, reject) => settle.set(i, { resolve, reject }));
      p.catch(() => undefined);
      done.set(i, p);
      if (aborted) settle.get(i)!.reject(aborted.err);
    }
    return done.get(i)!;
  };
  return {
    mayRename: (index) => () => (aborted ? Promise.reject(aborted.err) : index === 0 ? Promise.resolve() : promiseFor(index - 1)),
    monthDone: (index) => {
      promiseFor(index);
      settle.get(index)!.resolve();
    },
    /** A month failed: no later month may rename (its manifest could refer to the failed month's images). */
    abort: (err) => {
      aborted = { err };
      for (const s of settle.values()) s.reject(err);
    },
  };
}

/**
 * Catalogues sealed zips. Months are written concurrently but committed in month order: a later
 * month's places may refer to images an earlier month's zip stores. A zip written but not yet
 * committed when a run dies is adopted by the next run (core/recover). Returns the indexes this
 * call committed (none while an earlier month is still being written).
 *
 * A place may refer to an image that no zip stores: the month that was to store it found every
 * place it could read it from changed (writeMonth skips those), after a later month had planned
 * on it. Such places are left out and reported as changed, as recovery and reindex leave them out;
 * the next run hashes them again.
 */
export function orderedCommitter(db: Db, skipped: Skipped[]): (index: number, sealed: SealedArchive[]) => number[] {
  const done = new Map<number, SealedArchive[]>();
  const stored = storedAmong(db);
  const unstored = db.prepare('DELETE FROM locations WHERE hash = ? AND archive_id = ? RETURNING path').pluck();
  const commitMonth = db.transaction((sealed: SealedArchive[]) => {
    // Checked at the commit, after the places whose image is nowhere are gone.
    db.pragma('defer_foreign_keys = ON');
    for (const a of sealed) {
      const id = recordArchive(db, a.row, a.manifest);
      const hashes = [...new Set(a.manifest.locations.map((l) => l.hash))];
      const present = stored(hashes);
      for (const hash of hashes) {
        if (!present.has(hash)) for (const p of unstored.all(hash, id) as string[]) skipped.push({ path: p, reason: 'changed' });
      }
    }
  });
  let next = 0;
  return (index, sealed) => {
    done.set(index, sealed);
    const committed: number[] = [];
    while (done.has(next)) {
      commitMonth(done.get(next)!);
      done.delete(next);
      committed.push(next++);
    }
    return committed;
  };
}

/**
 * Flushes a file another thread wrote and closed: fsync flushes the file's data whichever handle
 * wrote it. Opened for writing, as Windows' FlushFileBuffers needs.
 */
async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable. Windows cannot open a folder for fsync; there the rename is journaled by NTFS. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
