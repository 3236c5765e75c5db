import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { chooseKept, keepOrder, KEEP_RULES, type KeepFacts } from '../src/core/dedupe/keep.js';
import { PicvaultError } from '../src/errors.js';

const copy = (over: Partial<KeepFacts>): KeepFacts => ({ where: 'source', kind: 'original', pixels: 0, size: 1000, taken: '2024-05-01 12:00:00', path: '/c/a.jpg', ...over });

test('the default keep rules, in order: reference, original over thumbnail, pixels, size, date, path', () => {
  const order = keepOrder();
  assert.deepEqual(order, [...KEEP_RULES]);
  // Each case: the copy that must stay is listed second, so the choice is never just "the first".
  const cases: [string, KeepFacts[]][] = [
    ['reference', [copy({ size: 9000, kind: 'original' }), copy({ where: 'reference', kind: 'thumb', size: 10 })]],
    ['reference', [copy({ size: 9000 }), copy({ where: 'vault', size: 10 })]],
    ['original', [copy({ kind: 'thumb', pixels: 4_000_000, size: 9000 }), copy({ kind: 'original', pixels: 100, size: 10 })]],
    ['pixels', [copy({ pixels: 100, size: 9000 }), copy({ pixels: 200, size: 10 })]],
    ['size', [copy({ size: 10, taken: '2001-01-01 00:00:00' }), copy({ size: 11, taken: '2024-01-01 00:00:00' })]],
    ['date', [copy({ taken: '2024-05-02 00:00:00', path: '/a.jpg' }), copy({ taken: '2024-05-01 23:59:59', path: '/very/long/path/b.jpg' })]],
    ['path', [copy({ path: '/cache/chat-1/x.jpg' }), copy({ path: '/cache/a/x.jpg' })]],
  ];
  for (const [rule, members] of cases) assert.deepEqual(chooseKept(members, order), { kept: 1, why: rule }, rule);
  // A reference folder beats the vault: both stay untouched, the one on disk is the one shown kept.
  assert.deepEqual(chooseKept([copy({ where: 'vault' }), copy({ where: 'reference', path: '/much/longer/ref.jpg' })], order), { kept: 1, why: 'reference' });
  // Unknown pixels (0) never decide.
  assert.deepEqual(chooseKept([copy({ pixels: 0, size: 10 }), copy({ pixels: 50, size: 20 })], order), { kept: 1, why: 'size' });
});

test('--keep puts the named rules first, then the others in their usual order; an unknown name is bad input', () => {
  assert.deepEqual(keepOrder(['date', 'pixels']), ['date', 'pixels', 'reference', 'original', 'size', 'path']);
  const thumbFirst = [copy({ kind: 'original', taken: '2024-06-01 00:00:00' }), copy({ kind: 'thumb', taken: '2024-01-01 00:00:00' })];
  assert.deepEqual(chooseKept(thumbFirst, keepOrder()), { kept: 0, why: 'original' });
  assert.deepEqual(chooseKept(thumbFirst, keepOrder(['date'])), { kept: 1, why: 'date' });
  const reference = [copy({ where: 'reference', size: 10 }), copy({ size: 20 })];
  assert.deepEqual(chooseKept(reference, keepOrder(['size'])), { kept: 1, why: 'size' });
  assert.throws(() => keepOrder(['biggest']), (err: unknown) => err instanceof PicvaultError && err.exitCode === 2 && err.key === 'dedupe.keepBad');
});

test('the shortest path stays, for Windows paths as for POSIX ones; equal lengths go by order, never by walk order', () => {
  const win = [path.win32.join('D:\\', 'Tencent Files', '123', 'Image', 'Group2', 'AB', 'CD', 'x.jpg'), path.win32.join('D:\\', 'Pictures', '相册', 'x.jpg')];
  assert.equal(chooseKept(win.map((p) => copy({ path: p })), keepOrder()).kept, 1);
  const posix = [path.posix.join('/home/u/Pictures/b.jpg'), path.posix.join('/home/u/Pictures/a.jpg')];
  assert.deepEqual(chooseKept(posix.map((p) => copy({ path: p })), keepOrder()), { kept: 1, why: 'path' });
  assert.deepEqual(chooseKept([...posix].reverse().map((p) => copy({ path: p })), keepOrder()), { kept: 0, why: 'path' });
});

test('a copy marked to keep beats every rule, in any order --keep gives, but a copy in a reference folder', () => {
  const marked = copy({ kind: 'thumb', size: 10, taken: '2024-09-01 00:00:00', path: '/a/much/longer/path/thumb.jpg', marked: true });
  const best = copy({ kind: 'original', pixels: 4_000_000, size: 9000, taken: '2020-01-01 00:00:00', path: '/a.jpg' });
  for (const order of [keepOrder(), keepOrder(['size']), keepOrder(['date', 'path'])]) {
    assert.deepEqual(chooseKept([best, marked], order), { kept: 1, why: 'marked' });
  }
  assert.deepEqual(chooseKept([copy({ where: 'vault' }), marked], keepOrder()), { kept: 1, why: 'marked' }, 'over a copy only in the vault');
  assert.deepEqual(chooseKept([marked, copy({ where: 'reference', size: 1 })], keepOrder()), { kept: 1, why: 'reference' });
  assert.deepEqual(chooseKept([copy({ where: 'reference' }), copy({ where: 'reference', marked: true, path: '/longer/ref.jpg' })], keepOrder()), { kept: 1, why: 'marked' });
});
