import os from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import { errnoCode } from '../errors.js';

interface Queued {
  id: number;
  job: unknown;
  transfer: ArrayBuffer[];
}

/** Threads for archive's reading and restore's writing: both cores, however many this machine has beyond. */
export const THREADS = Math.max(1, Math.min(2, os.availableParallelism()));

/**
 * A few worker threads running one module, each given up to `depth` jobs at a time (1 unless
 * asked), to the least busy thread first; a thread runs its jobs one after another. Urgent jobs
 * jump the queue. The module answers every `{ id, job }` message with `{ id, result }` or
 * `{ id, error }`.
 *
 * A depth above one is for a main thread that is busy for long stretches (dedupe's walk): a
 * thread that ends a job runs its next one at once, instead of waiting for the main thread to
 * take the result and send it more.
 *
 * Running from source under tsx (the tests), a worker cannot load TypeScript on Node 20, so the
 * compiled module in dist/ runs, which `npm test` builds first (see `workerUrl`).
 */
export class ThreadPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (r: never) => void; reject: (e: unknown) => void }>();
  /** Jobs sent to each thread and not answered yet. */
  private readonly load: number[];
  private readonly urgent: Queued[] = [];
  private readonly bulk: Queued[] = [];
  /** Per thread: jobs only that thread may run, ahead of the shared queues. */
  private readonly own: Queued[][];
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(url: URL, size = THREADS, private readonly depth = 1) {
    this.workers = Array.from({ length: size }, () => {
      // A small young generation: these threads allocate little that lives, and the default (tens
      // of megabytes an isolate) counted against the run's memory for nothing.
      const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      w.on('message', (msg: { id: number; result?: unknown; error?: string; code?: string; path?: string }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        // The errno code and path cross too: a full disk in a reader thread is told as one.
        if (msg.error !== undefined) p?.reject(Object.assign(new Error(msg.error), msg.code && { code: msg.code }, msg.path && { path: msg.path }));
        else p?.resolve(msg.result as never);
        this.load[this.workers.indexOf(w)]--;
        this.fill(this.workers.indexOf(w));
      });
      w.on('error', (err) => this.fail(err));
      // A thread that stops without an error (process.exit in a dependency, say) would otherwise
      // leave its job, and the run, waiting forever.
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a worker thread stopped (exit code ${code})`));
      });
      return w;
    });
    this.load = this.workers.map(() => 0);
    this.own = this.workers.map(() => []);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  /** Sends thread i what waits, up to its depth. */
  private fill(i: number): void {
    while (this.load[i] < this.depth) {
      const next = this.own[i].shift() ?? this.urgent.shift() ?? this.bulk.shift();
      if (!next) return;
      this.load[i]++;
      this.workers[i].postMessage({ id: next.id, job: next.job }, next.transfer);
    }
  }

  /**
   * Queues a job. `thread` pins it to one thread (taken modulo their number), ahead of everything
   * shared: a kind of job that needs a large library loaded and compiled then costs that once, in
   * one thread, instead of in every thread (docs/performance.md).
   */
  run<R>(job: unknown, options: { urgent?: boolean; transfer?: ArrayBuffer[]; thread?: number } = {}): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: never) => void, reject });
      const queued = { id, job, transfer: options.transfer ?? [] };
      if (options.thread === undefined) {
        (options.urgent ? this.urgent : this.bulk).push(queued);
        const least = this.load.indexOf(Math.min(...this.load));
        return this.fill(least);
      }
      const i = options.thread % this.workers.length;
      this.own[i].push(queued);
      this.fill(i);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A worker module's URL: every worker lives here in engine/, and runs compiled (see ThreadPool). */
export const workerUrl = (name: string) =>
  new URL(import.meta.url.endsWith('.ts') ? `../../dist/engine/${name}.js` : `./${name}.js`, import.meta.url);

/** Bytes as an ArrayBuffer of their own, to hand to another thread (a small Buffer shares its pool's). */
export function ownArrayBuffer(b: Uint8Array): ArrayBuffer {
  const own = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
  return (own ? b.buffer : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) as ArrayBuffer;
}

/** The worker side: answers each job with what `handle` returns, one job after another (a job may use the thread's kept buffers). */
export function serveJobs(port: MessagePort, handle: (job: never) => Promise<unknown>): void {
  let last: Promise<void> = Promise.resolve();
  port.on('message', (msg: { id: number; job: never }) => {
    last = last.then(() => answer(port, handle, msg));
  });
}

async function answer(port: MessagePort, handle: (job: never) => Promise<unknown>, msg: { id: number; job: never }): Promise<void> {
  try {
    const result = await handle(msg.job);
    port.postMessage({ id: msg.id, result });
  } catch (err) {
    const code = errnoCode(err);
    const { path } = err as { path?: unknown };
    port.postMessage({
      id: msg.id,
      error: (err as Error).message ?? String(err),
      ...(code && { code }),
      ...(typeof path === 'string' && { path }),
    });
  }
}
