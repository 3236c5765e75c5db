import type { InspectOptions } from '../media/inspect.js';
import type { ReadResult, ReadTask, WorkerJob, WorkerReply } from './read-worker.js';
import { ThreadPool, workerUrl } from './thread-pool.js';

/** Files per message: a message per file would cost the main thread more than the reads. */
const BATCH = 32;

/**
 * Reader threads for archive (see read-worker.ts). Fetches and zip checks jump the queue of hash
 * batches: they are what the zip writing waits on, while hashing is read ahead.
 */
export class ReadPool {
  private readonly pool = new ThreadPool(workerUrl('read-worker', import.meta.url));

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

  /** The bytes of the first path that still hashes to `hash`; null when none does. */
  async fetch(paths: string[], hash: string): Promise<Buffer | null> {
    const bytes = await this.submit({ kind: 'fetch', paths, hash }, true);
    return bytes ? Buffer.from(bytes) : null;
  }

  /** A zip read back whole, every entry re-hashed: what is wrong with it, empty when whole. */
  check(zip: string): Promise<string[]> {
    return this.submit({ kind: 'check', zip }, true);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
