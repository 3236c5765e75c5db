import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { InspectOptions } from '../media/inspect.js';
import type { ReadResult, ReadTask, WorkerJob, WorkerReply } from './read-worker.js';

/** Files per message: a message per file would cost the main thread more than the reads. */
const BATCH = 32;

interface Queued {
  id: number;
  job: WorkerJob;
}

/**
 * Reader threads for archive (see read-worker.ts). Fetches and zip checks jump the queue of hash
 * batches: they are what the zip writing waits on, while hashing is read ahead.
 *
 * Running from source under tsx (the tests), a worker cannot load TypeScript on Node 20, so it
 * runs the compiled worker from dist/, which `npm test` builds first.
 */
export class ReadPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (r: never) => void; reject: (e: unknown) => void }>();
  private readonly idle: Worker[];
  private readonly urgent: Queued[] = [];
  private readonly bulk: Queued[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(private readonly options: InspectOptions, size = Math.max(1, Math.min(2, os.availableParallelism()))) {
    const url = new URL(import.meta.url.endsWith('.ts') ? '../../dist/core/read-worker.js' : './read-worker.js', import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      // A small young generation: each reader allocates little that lives, and the default (tens
      // of megabytes an isolate) counted against archive's memory for nothing.
      const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      w.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error !== undefined) p?.reject(new Error(msg.error));
        else p?.resolve(msg.result as never);
        this.dispatch(w);
      });
      w.on('error', (err) => {
        this.failure = err;
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      return w;
    });
    this.idle = [...this.workers];
  }

  private dispatch(worker: Worker): void {
    const next = this.urgent.shift() ?? this.bulk.shift();
    if (!next) return void this.idle.push(worker);
    worker.postMessage(next);
  }

  private submit<J extends WorkerJob>(job: J, urgent: boolean): Promise<WorkerReply<J>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<WorkerReply<J>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: never) => void, reject });
      (urgent ? this.urgent : this.bulk).push({ id, job });
      const w = this.idle.pop();
      if (w) this.dispatch(w);
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

  /** The bytes of the first path that still hashes to `hash`; null when none does. */
  async fetch(paths: string[], hash: string): Promise<Buffer | null> {
    const bytes = await this.submit({ kind: 'fetch', paths, hash }, true);
    return bytes ? Buffer.from(bytes) : null;
  }

  /** A zip read back whole, every entry re-hashed: what is wrong with it, empty when whole. */
  check(zip: string): Promise<string[]> {
    return this.submit({ kind: 'check', zip }, true);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
