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
  private readonly memory: SharedArrayBuffer[] = [];

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

  /** Reads the first of the paths whose bytes still hash to `hash` into `into` (shared memory); false when none does. */
  fetch(paths: string[], hash: string, into: Uint8Array): Promise<boolean> {
    const memory = into.buffer as SharedArrayBuffer;
    return this.submit({ kind: 'fetch', paths, hash, size: into.length - 1, memory, offset: into.byteOffset }, true);
  }

  /** Shared memory for a month's fetches: the few blocks of a run are reused from month to month. */
  lendMemory(bytes: number): SharedArrayBuffer {
    const i = this.memory.findIndex((m) => m.byteLength === bytes);
    return i >= 0 ? this.memory.splice(i, 1)[0] : new SharedArrayBuffer(bytes);
  }

  returnMemory(memory: SharedArrayBuffer): void {
    this.memory.push(memory);
  }

  /** A zip read back whole, every entry re-hashed: what is wrong with it, empty when whole. */
  check(zip: string): Promise<string[]> {
    return this.submit({ kind: 'check', zip }, true);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
