import assert from 'node:assert/strict';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sameFileTime, utimesSeconds } from '../src/media/file-time.js';
import { tempDir } from './helpers/tmp.js';

/** What Node's stat reports for a time of `sec` seconds and `ns` nanoseconds. */
const statMs = (sec: number, ns: number) => sec * 1e3 + ns / 1e6;

test('restore sets the recorded time truncated to the microsecond, never the microsecond before', async () => {
  const file = path.join(await tempDir(), 'f');
  writeFileSync(file, 'x');
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 300; i++) {
    const sec = 1_000_000_000 + Math.floor(random() * 1_000_000_000);
    // Whole microseconds (a file picvault restored before), whole milliseconds, and any nanosecond.
    const ns = [Math.floor(random() * 1e6) * 1000, Math.floor(random() * 1e3) * 1e6, Math.floor(random() * 1e9)][i % 3];
    const recorded = statMs(sec, ns);
    utimesSync(file, utimesSeconds(recorded), utimesSeconds(recorded));
    const got = statSync(file, { bigint: true }).mtimeNs;
    const want = BigInt(sec) * 1_000_000_000n + BigInt(ns - (ns % 1000));
    // The recorded double is off by up to 0.12 µs, and restore allows for that much more so that a
    // whole microsecond never comes back as the one before: within 0.25 µs of the next, it may be the next.
    const nearNext = ns % 1000 > 750;
    assert.ok(got === want || (nearNext && got === want + 1000n), `${sec}.${ns}: got ${got}, want ${want}`);
    assert.ok(sameFileTime(Number(statSync(file).mtimeMs), recorded));
  }
});

test('the same time is compared at the precision restore can reproduce, on Windows too', () => {
  assert.ok(sameFileTime(statMs(1714651207, 123456789), statMs(1714651207, 123456000)));
  assert.ok(!sameFileTime(statMs(1714651207, 123456789), statMs(1714651207, 123459000)));
  // Windows: libuv counts 100 ns ticks through a double; the nearest value is handed over as it is.
  assert.equal(utimesSeconds(statMs(1714651207, 123456700), 'win32'), statMs(1714651207, 123456700) / 1000);
});
