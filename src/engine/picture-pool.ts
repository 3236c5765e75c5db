import type { PictureJob, PictureResult, PictureTask } from './picture-worker.js';
import { THREADS, ThreadPool, workerUrl } from './thread-pool.js';

/** Tasks per message: one message per file would cost the main thread more than the reads. */
const BATCH = 32;
/**
 * Tasks per message when the pictures are decoded too: a decode costs milliseconds, so smaller
 * batches keep both threads busy to the end.
 */
const LOOKS_BATCH = 4;
/** Messages in flight per thread: enough that a thread never waits for the main thread. */
const IN_FLIGHT = 6;
/**
 * Messages in flight per thread until the first `drain`, while the main thread walks: the walk
 * holds it for half a second at a time (20 000 files), and a thread with nothing left would wait
 * that long for it to take a result and send more. Only full batches go out then. After it,
 * IN_FLIGHT: fewer waiting in a thread keeps both busy to the end.
 */
const WALK_IN_FLIGHT = 64;

/**
 * dedupe's threads (picture-worker.ts): both cores read, hash and decode while the main thread
 * walks and groups. They start with `start`, or with the first batch sent: looking at the vault
 * alone, whose pictures the catalogue knows, none is.
 */
export class PicturePool {
  private pool: ThreadPool | null = null;

  constructor(private readonly wechatKey?: string) {}

  start(): ThreadPool {
    return (this.pool ??= new ThreadPool(workerUrl('picture-worker'), THREADS, WALK_IN_FLIGHT));
  }

  /**
   * A queue of items (table rows) to examine, fed while the caller still walks: the threads start
   * on the first items at once. Only item numbers wait in it; each task is made when its batch
   * goes out, and a few batches a thread are out at a time, so a queue of 300 000 costs 1.2 MB.
   * Results come to `onResult` as batches finish, in no particular order.
   */
  queue(task: (item: number) => PictureTask | null, onResult: (item: number, result: PictureResult) => void, onBatch?: (done: number, bytes: number) => void): { push(item: number): void; drain(): Promise<void> } {
    let waiting = new Int32Array(1024);
    let head = 0;
    let tail = 0;
    let inFlight = 0;
    let failure: unknown = null;
    let idle: (() => void) | null = null;
    let walking = true;
    const send = () => {
      while (inFlight < (walking ? WALK_IN_FLIGHT : IN_FLIGHT) * THREADS && tail - head >= (walking ? BATCH : 1)) {
        const items: number[] = [];
        const tasks: PictureTask[] = [];
        while (head < tail && tasks.length < BATCH) {
          const item = waiting[head++];
          const t = task(item);
          if (!t) continue;
          items.push(item);
          tasks.push(t);
          if (t.looks && tasks.length >= LOOKS_BATCH) break;
        }
        if (tasks.length === 0) continue;
        inFlight++;
        const job: PictureJob = { tasks, wechatKey: this.wechatKey };
        this.start()
          .run<PictureResult[]>(job)
          .then((results) => {
            results.forEach((r, i) => onResult(items[i], r));
            // A .dat's first bytes are not its reading: counted when it is read whole, if ever.
            const read = tasks.filter((t) => !t.head);
            onBatch?.(read.length, read.reduce((n, t) => n + t.size, 0));
          })
          .catch((err: unknown) => {
            failure ??= err;
          })
          .finally(() => {
            inFlight--;
            send();
            if (inFlight === 0 && head === tail) idle?.();
          });
      }
    };
    return {
      push(item) {
        if (tail === waiting.length) {
          // Compact what was sent, then grow if still full.
          waiting.copyWithin(0, head, tail);
          tail -= head;
          head = 0;
          if (tail === waiting.length) {
            const bigger = new Int32Array(waiting.length * 2);
            bigger.set(waiting);
            waiting = bigger;
          }
        }
        waiting[tail++] = item;
        send();
      },
      async drain() {
        walking = false;
        send();
        if (inFlight > 0 || head < tail) await new Promise<void>((resolve) => (idle = resolve));
        idle = null;
        if (failure) throw failure;
      },
    };
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
