import type { PictureJob, PictureResult, PictureTask } from './picture-worker.js';
import { ThreadPool, workerUrl } from './thread-pool.js';

/** Tasks per message: one message per file would cost the main thread more than the reads. */
const BATCH = 32;
/**
 * Tasks per message when the pictures are decoded too: a decode costs milliseconds, so smaller
 * batches keep both threads busy to the end.
 */
const LOOKS_BATCH = 4;

/**
 * dedupe's threads (picture-worker.ts): both cores read, hash and decode while the main thread
 * walks and groups.
 */
export class PicturePool {
  private readonly pool = new ThreadPool(workerUrl('picture-worker', import.meta.url));

  constructor(private readonly wechatKey?: string) {}

  /** Every task examined, results in order; `onBatch` counts them as they come. */
  async examine(tasks: PictureTask[], onBatch?: (done: number, bytes: number) => void): Promise<PictureResult[]> {
    const batches: Promise<PictureResult[]>[] = [];
    const size = tasks.some((t) => t.looks) ? LOOKS_BATCH : BATCH;
    for (let i = 0; i < tasks.length; i += size) {
      const slice = tasks.slice(i, i + size);
      const job: PictureJob = { tasks: slice, wechatKey: this.wechatKey };
      batches.push(
        this.pool.run<PictureResult[]>(job).then((r) => {
          onBatch?.(slice.length, slice.reduce((n, t) => n + t.size, 0));
          return r;
        }),
      );
    }
    return (await Promise.all(batches)).flat();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
