// A worker that stops on its first job, as a crashing dependency would (see thread-pool.test.ts).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => process.exit(3));
