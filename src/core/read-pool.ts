import type { InspectOptions } from '../media/inspect.js';
import type { ReadResult, ReadTask, WorkerJob, WorkerReply } from './read-worker.js';
import { ThreadPool, workerUrl } from './thread-pool.js';
import { SharedSlots } from './shared-slots.js';
import type { LentBytes } from './month-writer.js';

/** Files per message: a message per file would cost the main thread more than the reads. */
const BATCH = 32;

/**
 * Reader threads for archive (see read-worker.ts). Fetches and zip checks jump the queue of hash
 * batches: they are what the zip writing waits on, while hashing is read ahead.
 */
export class ReadPool {
  private readonly pool = new ThreadPool(workerUrl('read-worker', import.meta.url));
  private readonly slots = new SharedSlots();

  constructor(private readonly options: InspectOptions) {}

  private submit<J extends WorkerJob>(job: J, urgent: boolean): Promise<WorkerReply<J>> {
    return this.pool.run(job, { urgent });
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

  /**
   * The bytes of the first path that still hashes to `hash`, in a shared slot lent until
   * `release`; null when no path does.
   */
  async fetch(paths: string[], hash: string, size: number): Promise<LentBytes | null> {
    const slot = this.slots.acquire(size);
    const found = await this.submit({ kind: 'fetch', paths, hash, size, into: slot }, true).catch((err: unknown) => {
      this.slots.release(slot);
      throw err;
    });
    if (!found) {
      this.slots.release(slot);
      return null;
    }
    return { bytes: Buffer.from(slot, 0, size), release: () => this.slots.release(slot) };
  }

  /** A zip read back whole, every entry re-hashed: what is wrong with it, empty when whole. */
  check(zip: string): Promise<string[]> {
    return this.submit({ kind: 'check', zip }, true);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
