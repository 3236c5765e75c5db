import type { Inspection, InspectOptions } from '../media/inspect.js';
import type { HeadFile, HeadResult } from '../core/heads.js';
import type { EntriesCheck, WantedEntry } from '../vault/check-zip.js';
import type { ReadResult, ReadTask, WorkerJob, WorkerReply } from './read-worker.js';
import { ThreadPool, workerUrl } from './thread-pool.js';
import type { ZipJob, ZipJobResult } from './zip-parts.js';

/**
 * Zips are written in one reader thread and read back in the other: archiver (with the 225 KB
 * of JavaScript it loads) and unzipper are each loaded and compiled in one thread only, not both
 * (docs/performance.md). Hashing fills both threads around them.
 */
const ZIP_THREAD = 0;
const CHECK_THREAD = 1;

/** Files per message: a message per file would cost the main thread more than the reads. */
const BATCH = 32;

/**
 * Reader threads for archive (see read-worker.ts). Zip writing and checks jump the queue of hash
 * batches: they are what the catalogue commits wait on, while hashing is read ahead.
 */
export class ReadPool {
  private readonly pool: ThreadPool;

  /** `threads`: both cores by default; scan lends one to the heads while it walks on the other. */
  constructor(private readonly options: InspectOptions, threads?: number) {
    this.pool = new ThreadPool(workerUrl('read-worker'), threads);
  }

  private submit<J extends WorkerJob>(job: J, urgent: boolean, thread?: number): Promise<WorkerReply<J>> {
    return this.pool.run(job, { urgent, thread });
  }

  /** Reads and inspects the heads of these files (a plain folder's, at scan), results in order. */
  async inspectAll(files: HeadFile[]): Promise<HeadResult[]> {
    const batches: Promise<HeadResult[]>[] = [];
    for (let i = 0; i < files.length; i += BATCH) {
      const tasks = files.slice(i, i + BATCH).map(({ path, size, source }) => ({ path, size, source }));
      batches.push(this.submit({ kind: 'inspect', tasks, options: this.options }, false));
    }
    return (await Promise.all(batches)).flat();
  }

  /**
   * Reads these files whole (a plain folder's, at archive's scan) for their type and EXIF date,
   * and hashes the same bytes: archive then needs no second read of them to hash them. Results in
   * order; a .dat that only its account's key could prove is left to be read again.
   */
  async inspectWhole(files: HeadFile[]): Promise<HeadResult[]> {
    const read = await this.readAll(files.map(({ path, size, source }) => ({ path, size, source, known: false })));
    return read.map((r): HeadResult => {
      if (!r.ok) return { unreadable: r.reason };
      const ins = { ext: r.ext as Inspection['ext'], decodedExt: r.decodedExt as Inspection['decodedExt'], exifDate: r.exifDate };
      if (!ins.ext || r.needsAccountKey) return ins;
      return { ...ins, hashedAtScan: { hash: r.hash, size: r.size, ...(r.picture && { picture: r.picture }) } };
    });
  }

  /** Reads and hashes all tasks, results in order. */
  async readAll(tasks: ReadTask[], onBatch?: (done: number, bytes: number) => void): Promise<ReadResult[]> {
    const batches: Promise<ReadResult[]>[] = [];
    for (let i = 0; i < tasks.length; i += BATCH) {
      const slice = tasks.slice(i, i + BATCH);
      batches.push(
        this.submit({ kind: 'hash', tasks: slice, options: this.options }, false).then((r) => {
          onBatch?.(slice.length, slice.reduce((n, t) => n + t.size, 0));
          return r;
        }),
      );
    }
    return (await Promise.all(batches)).flat();
  }

  /** Writes a plan's zips under temporary names (zip-parts.ts). */
  writeZips(job: ZipJob): Promise<ZipJobResult> {
    return this.submit({ kind: 'zips', job }, true, ZIP_THREAD);
  }

  /** A zip read back whole, every entry re-hashed: what is wrong with it, empty when whole. */
  check(zip: string): Promise<string[]> {
    return this.submit({ kind: 'check', zip }, true, CHECK_THREAD);
  }

  /**
   * A few stored entries of one zip read back and re-hashed (clean, before deleting their
   * places): in the thread that reads zips back, ahead of the hashing, since deletions wait on it.
   */
  readBack(zip: string, entries: WantedEntry[]): Promise<EntriesCheck> {
    return this.submit({ kind: 'readBack', zip, entries }, true, CHECK_THREAD);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
