import { open, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../catalog/db.js';
import { storesImage } from '../catalog/images.js';
import { recordArchive, type ArchiveRow } from '../catalog/record.js';
import { absArchivePath, archiveRelPath, monthDir, PARTIAL_SUFFIX } from '../vault/layout.js';
import {
  entryName, MANIFEST_ENTRY, MANIFEST_FORMAT, MANIFEST_VERSION,
  type Manifest, type ManifestImage, type ManifestLocation,
} from '../vault/manifest.js';
import type { Vault } from '../vault/vault.js';
import { ZipWriter } from '../vault/zip-writer.js';
import { PicvaultError, EXIT } from '../errors.js';
import type { MonthPlan } from './archive-plan.js';
import { ByteRing } from './byte-ring.js';
import type { Skipped } from './scan.js';

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
 * The reads a month's writing waits on, done off the main thread (the archive's reader threads):
 * the bytes of a new image, read into memory the month lends (see ByteRing) and checked against
 * the hash the plan was made with (a file that changed since is not stored under a hash it no
 * longer has; any place holding the same bytes will do), and the read-back of a sealed zip, every
 * entry re-hashed (what is wrong, empty when whole).
 */
export interface MonthIo {
  /** Shared memory of `bytes` for one month's fetches, lent until given back. */
  lendMemory(bytes: number): SharedArrayBuffer;
  returnMemory(memory: SharedArrayBuffer): void;
  /** Reads the first path whose bytes still hash to `hash` into `into` (one byte longer than the image); false when none does. */
  fetch(paths: string[], hash: string, into: Uint8Array): Promise<boolean>;
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
}

/** Room kept per entry and per place for the headers and manifest that come with it. */
const ENTRY_OVERHEAD = 256;
const LOCATION_OVERHEAD = 768;

/**
 * Writes one month's zips, each flushed, renamed and read back whole; the caller catalogues them
 * (see orderedCommitter). A zip is split into parts at maxArchiveSize; each part's manifest records
 * the places of the images it stores, and the last also the places of images stored before.
 */
export async function writeMonth(vault: Vault, plan: MonthPlan, options: MonthWriteOptions): Promise<SealedArchive[]> {
  const dir = monthDir(vault.dir, plan.month);
  await mkdir(dir, { recursive: true });
  const written: SealedArchive[] = [];
  const placed = new Set<string>();
  const dropped = new Set<string>();
  let part: { writer: ZipWriter; tmp: string; images: ManifestImage[] } | null = null;

  const startPart = async () => {
    const tmp = path.join(dir, `.${plan.month}_${randomBytes(6).toString('hex')}.zip${PARTIAL_SUFFIX}`);
    part = { writer: await ZipWriter.create(tmp, { forceZip64: options.forceZip64 }), tmp, images: [] };
    return part;
  };
  const closePart = async (last: boolean) => {
    const p = part!;
    part = null;
    const hashes = new Set(p.images.map((i) => i.hash));
    const locations = plan.locations.filter((l) => (last ? !placed.has(l.hash) : hashes.has(l.hash)) && !dropped.has(l.hash));
    for (const h of hashes) placed.add(h);
    written.push(await sealPart(vault, plan.month, p.writer, p.tmp, p.images, locations, options));
  };

  for await (const [img, bytes] of prefetched(plan.newImages, options.io)) {
    if (!bytes) {
      dropped.add(img.hash);
      for (const f of img.from) options.skipped.push({ path: f.path, reason: 'changed' });
      continue;
    }
    let current: { writer: ZipWriter; tmp: string; images: ManifestImage[] } = part ?? (await startPart());
    const projected = current.writer.size + bytes.length + ENTRY_OVERHEAD + estimateManifest(current.images.length + 1, plan.locations.length);
    if (current.images.length > 0 && projected > options.maxArchiveSize) {
      await closePart(false);
      current = await startPart();
    }
    const name = entryName(img.hash, img.ext);
    // add() resolves once the bytes are in the file: only then may their memory take other bytes.
    await current.writer.add(name, bytes, new Date(img.date.replace(' ', 'T')));
    current.images.push({ hash: img.hash, size: img.size, ext: img.ext, entry: name, ...(img.ext === 'dat' && { decodedExt: img.decodedExt }) });
  }
  const remaining = plan.locations.filter((l) => !placed.has(l.hash) && !dropped.has(l.hash));
  if (part || remaining.length > 0) {
    part ??= await startPart();
    await closePart(true);
  }
  return written;
}

const estimateManifest = (images: number, locations: number) => images * ENTRY_OVERHEAD + locations * LOCATION_OVERHEAD;

/**
 * Fetched bytes are held up to this much ahead of the zip writing, so it never waits on a read;
 * an image past half of it is read into memory of its own, one at a time.
 */
const PREFETCH_BYTES = 8 * 1024 * 1024;

/**
 * The images with their bytes, in order, fetched a window ahead into the month's ring. Each
 * image's bytes stay valid until the consumer asks for the next one.
 */
async function* prefetched<I extends { hash: string; size: number; from: readonly { path: string }[] }>(
  images: readonly I[], io: MonthIo,
): AsyncGenerator<[I, Buffer | null]> {
  const memory = io.lendMemory(PREFETCH_BYTES);
  const ring = new ByteRing(memory);
  const ahead: { fetched: Promise<boolean>; into: Uint8Array }[] = [];
  let next = 0;
  try {
    for (let i = 0; i < images.length; i++) {
      while (next < images.length) {
        const need = images[next].size + 1;
        let into: Uint8Array;
        if (need > PREFETCH_BYTES / 2) {
          if (ahead.length > 0) break;
          into = new Uint8Array(new SharedArrayBuffer(need));
        } else {
          const region = ring.take(need);
          if (!region) break;
          into = new Uint8Array(memory, region.offset, need);
        }
        const fetched = io.fetch(images[next].from.map((f) => f.path), images[next].hash, into);
        fetched.catch(() => undefined); // awaited below; a run that stops early must not leave it unhandled
        ahead.push({ fetched, into });
        next++;
      }
      const { fetched, into } = ahead.shift()!;
      const found = await fetched;
      yield [images[i], found ? Buffer.from(into.buffer, into.byteOffset, images[i].size) : null];
      if (into.buffer === memory) ring.giveBack();
    }
  } finally {
    // Reads still running write into the ring: it goes back only once they are done.
    await Promise.allSettled(ahead.map((a) => a.fetched));
    io.returnMemory(memory);
  }
}

async function sealPart(
  vault: Vault, month: string, writer: ZipWriter, tmp: string,
  images: ManifestImage[], locations: ManifestLocation[], options: MonthWriteOptions,
): Promise<SealedArchive> {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, version: MANIFEST_VERSION, month, createdAt: new Date().toISOString(), images, locations,
  };
  let sealed;
  try {
    await writer.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)), new Date(), { deflate: true });
    sealed = await writer.finish(); // fsynced before it closes: the bytes are on disk before the rename
  } catch (err) {
    await writer.abort();
    await rm(tmp, { force: true });
    throw err;
  }
  const name = archiveRelPath(month, sealed.xxh64);
  const final = absArchivePath(vault.dir, name);
  try {
    await options.mayRename?.();
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await rename(tmp, final);
  await fsyncDir(path.dirname(final));
  const damage = await options.io.check(final);
  if (damage.length > 0) {
    await rm(final, { force: true });
    throw new PicvaultError('archive.readback', { archive: name, damage: damage.join('; ') }, EXIT.damaged);
  }
  const row: ArchiveRow = { name, month, xxh64: sealed.xxh64, bytes: sealed.bytes, createdAt: manifest.createdAt, verifiedAt: new Date().toISOString() };
  return { name, month, bytes: sealed.bytes, images: images.length, locations: locations.length, row, manifest };
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
  const stored = storesImage(db);
  const unstored = db.prepare('DELETE FROM locations WHERE hash = ? AND archive_id = ? RETURNING path').pluck();
  const commitMonth = db.transaction((sealed: SealedArchive[]) => {
    // Checked at the commit, after the places whose image is nowhere are gone.
    db.pragma('defer_foreign_keys = ON');
    for (const a of sealed) {
      const id = recordArchive(db, a.row, a.manifest);
      for (const hash of new Set(a.manifest.locations.map((l) => l.hash))) {
        if (!stored(hash)) for (const p of unstored.all(hash, id) as string[]) skipped.push({ path: p, reason: 'changed' });
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

/** Makes a rename durable. Windows cannot open a folder for fsync; there the rename is journaled by NTFS. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
