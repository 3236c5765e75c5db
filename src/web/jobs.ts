import type { Progress } from '../core/progress.js';
import type { RestoreResult } from '../core/restore.js';
import { PicvaultError, systemStop } from '../errors.js';

/**
 * Restores started from the page, run one after another (as two terminals would queue on the
 * same disk), each with its progress for the page to poll.
 */

export interface JobView {
  id: number;
  state: 'waiting' | 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result?: Pick<RestoreResult, 'selected' | 'restored' | 'already' | 'bytes' | 'destination'> & { skipped: { from: string; skip: string }[] };
  /** What stopped it: a message key and its parameters. */
  error?: { key: string; params: Record<string, string | number> };
}

/** Jobs remembered for the page to ask about; older ones are forgotten. */
const KEPT = 50;

export class RestoreJobs {
  private readonly jobs = new Map<number, JobView>();
  private nextId = 1;
  private queue: Promise<void> = Promise.resolve();

  start(run: (progress: Progress) => Promise<RestoreResult>): JobView {
    const job: JobView = { id: this.nextId++, state: 'waiting', done: 0, total: 0 };
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) if (this.jobs.size > KEPT && id !== job.id) this.jobs.delete(id);
    const progress: Progress = {
      begin: (_phase, total) => void ((job.total = total), (job.done = 0)),
      advance: (n = 1) => void (job.done += n),
      end: () => undefined,
    };
    this.queue = this.queue.then(async () => {
      job.state = 'running';
      try {
        const r = await run(progress);
        job.result = {
          selected: r.selected, restored: r.restored, already: r.already, bytes: r.bytes, destination: r.destination,
          skipped: r.skipped.slice(0, 20).map((s) => ({ from: s.from, skip: s.skip ?? '' })),
        };
        job.state = 'done';
      } catch (err) {
        job.state = 'failed';
        job.error = describe(err);
      }
    });
    return job;
  }

  get(id: number): JobView | undefined {
    return this.jobs.get(id);
  }

  /** Resolves when every job started so far has ended. */
  idle(): Promise<void> {
    return this.queue;
  }
}

function describe(err: unknown): JobView['error'] {
  if (err instanceof PicvaultError) return { key: err.key, params: err.params };
  const stop = systemStop(err);
  if (stop) return { key: stop.path ? 'io.stoppedAt' : 'io.stopped', params: { errno: stop.code, path: stop.path ?? '' } };
  return { key: 'bug', params: { detail: err instanceof Error ? err.message : String(err) } };
}
