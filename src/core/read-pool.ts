import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { InspectOptions } from '../media/inspect.js';
import type { ReadResult, ReadTask } from './read-worker.js';

/** Files per message: a message per file would cost the main thread more than the reads. */
const BATCH = 32;

/**
 * Reader threads for archive (see read-worker.ts). Running from source under tsx (the tests), a
 * worker cannot load TypeScript on Node 20, so it runs the compiled worker from dist/, which
 * `npm test` builds first.
 */
export class ReadPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (r: ReadResult[]) => void; reject: (e: unknown) => void }>();
  private readonly idle: Worker[];
  private readonly queue: { id: number; tasks: ReadTask[] }[] = [];
  private nextId = 0;

  constructor(private readonly options: InspectOptions, size = Math.max(1, Math.min(2, os.availableParallelism()))) {
    const url = new URL(import.meta.url.endsWith('.ts') ? '../../dist/core/read-worker.js' : './read-worker.js', import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(url);
      w.on('message', (msg: { id: number; results: ReadResult[] }) => {
        this.pending.get(msg.id)?.resolve(msg.results);
        this.pending.delete(msg.id);
        this.dispatch(w);
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      return w;
    });
    this.idle = [...this.workers];
  }

  private dispatch(worker: Worker): void {
    const job = this.queue.shift();
    if (!job) return void this.idle.push(worker);
    worker.postMessage({ id: job.id, tasks: job.tasks, options: this.options });
  }

  /** Reads all tasks, results in order. */
  async readAll(tasks: ReadTask[], onBatch?: (done: number, bytes: number) => void): Promise<ReadResult[]> {
    const batches: Promise<ReadResult[]>[] = [];
    for (let i = 0; i < tasks.length; i += BATCH) {
      const slice = tasks.slice(i, i + BATCH);
      const id = this.nextId++;
      batches.push(
        new Promise<ReadResult[]>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          this.queue.push({ id, tasks: slice });
          const w = this.idle.pop();
          if (w) this.dispatch(w);
        }).then((r) => {
          onBatch?.(slice.length, slice.reduce((n, t) => n + t.size, 0));
          return r;
        }),
      );
    }
    return (await Promise.all(batches)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
