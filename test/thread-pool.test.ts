import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/core/thread-pool.js';

test('a worker thread that stops mid-job fails the job and every later one instead of hanging', { timeout: 10_000 }, async () => {
  const pool = new ThreadPool(new URL('./helpers/exiting-worker.mjs', import.meta.url), 1);
  try {
    await assert.rejects(pool.run({ job: 1 }), /worker thread stopped \(exit code 3\)/);
    await assert.rejects(pool.run({ job: 2 }), /worker thread stopped/);
  } finally {
    await pool.close();
  }
});
