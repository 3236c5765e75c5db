import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/engine/thread-pool.js';

test('a worker thread that stops mid-job fails the job and every later one instead of hanging', { timeout: 10_000 }, async () => {
  const pool = new ThreadPool(new URL('./helpers/exiting-worker.mjs', import.meta.url), 1);
  try {
    await assert.rejects(pool.run({ job: 1 }), /worker thread stopped \(exit code 3\)/);
    await assert.rejects(pool.run({ job: 2 }), /worker thread stopped/);
  } finally {
    await pool.close();
  }
});

test('a job pinned to a thread runs on that thread, however the others are placed', { timeout: 10_000 }, async () => {
  const pool = new ThreadPool(new URL('./helpers/thread-id-worker.mjs', import.meta.url), 2);
  try {
    // Shared jobs first: they may go to either thread. Pinned ones must wait for theirs.
    const shared = Array.from({ length: 6 }, () => pool.run<number>({ ms: 20 }));
    const pinned0 = Array.from({ length: 5 }, () => pool.run<number>({ ms: 5 }, { thread: 0 }));
    const pinned1 = Array.from({ length: 5 }, () => pool.run<number>({ ms: 5 }, { thread: 1 }));
    const [a, b] = [await Promise.all(pinned0), await Promise.all(pinned1)];
    assert.equal(new Set(a).size, 1);
    assert.equal(new Set(b).size, 1);
    assert.notEqual(a[0], b[0]);
    // Taken modulo the number of threads, as with one thread on a one-core machine.
    assert.equal(await pool.run<number>({}, { thread: 2 }), a[0]);
    assert.equal(new Set(await Promise.all(shared)).size, 2, 'shared jobs still use both threads');
  } finally {
    await pool.close();
  }
});

test('with a depth, a thread runs its next jobs while the main thread is busy, one after another', { timeout: 20_000 }, async () => {
  const pool = new ThreadPool(new URL('./helpers/serial-worker.mjs', import.meta.url), 2, 4);
  try {
    await Promise.all([pool.run({ ms: 0 }), pool.run({ ms: 0 })]);
    const runs = Array.from({ length: 8 }, () => pool.run<{ thread: number; start: number; end: number }>({ ms: 20 }));
    // The main thread busy, as dedupe's walk is: no answer is taken, no job sent meanwhile.
    const busyUntil = Date.now() + 1000;
    while (Date.now() < busyUntil);
    const done = await Promise.all(runs);
    const byThread = new Map<number, typeof done>();
    for (const r of done) byThread.set(r.thread, [...(byThread.get(r.thread) ?? []), r]);
    assert.deepEqual([...byThread.values()].map((r) => r.length), [4, 4], 'the least busy thread first');
    for (const jobs of byThread.values()) {
      jobs.sort((a, b) => a.start - b.start);
      jobs.forEach((j, i) => i > 0 && assert.ok(j.start >= jobs[i - 1].end, 'a thread runs one job at a time'));
    }
    assert.ok(done.every((r) => r.end <= busyUntil), 'every job ran while the main thread was busy');
  } finally {
    await pool.close();
  }
});
