// A worker that answers each job with its thread id, after the job's `ms` of work (see thread-pool.test.ts).
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', ({ id, job }) => {
  setTimeout(() => parentPort.postMessage({ id, result: threadId }), job.ms ?? 0);
});
