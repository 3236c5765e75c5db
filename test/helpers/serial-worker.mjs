// A worker served by serveJobs (compiled, as the pool's own workers are): each job waits its `ms`
// and answers its thread and when it started and ended (see thread-pool.test.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, threadId } from 'node:worker_threads';
import { serveJobs } from '../../dist/engine/thread-pool.js';

serveJobs(parentPort, async (job) => {
  const start = Date.now();
  await sleep(job.ms);
  return { thread: threadId, start, end: Date.now() };
});
