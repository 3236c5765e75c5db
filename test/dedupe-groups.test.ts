import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGroups } from '../src/core/dedupe/groups.js';
import { keepOrder, KeptCopies } from '../src/core/dedupe/keep.js';
import { PlaceTable } from '../src/core/dedupe/places.js';
import type { PerceptualHash } from '../src/media/perceptual.js';

/** A pHash of 256 bits with the bits from..to set: three pictures in a chain, A-B and B-C close, A-C twice as far. */
const phash = (from: number, to: number) => {
  const bits = Array.from({ length: 256 }, (_, i) => (i >= from && i < to ? '1' : '0')).join('');
  return bits.match(/.{4}/g)!.map((b) => parseInt(b, 2).toString(16)).join('');
};

test('a marked pair is never in one group, not even through a third picture close to both', () => {
  const table = new PlaceTable();
  const looks = new Map<string, PerceptualHash>();
  const pictures = { a: phash(0, 0), b: phash(0, 30), c: phash(0, 60) };
  for (const [name, p] of Object.entries(pictures)) {
    const hash = `${name}`.repeat(16);
    const row = table.add({ where: 'source', path: `/cache/${name}.jpg`, root: '/cache', source: 'folder', kind: 'original', size: 1000, mtimeMs: 0, taken: '2024-01-01 12:00:00', month: '2024-01', dat: false });
    table.learn(row, hash, hash, 1000, 'jpg');
    looks.set(hash, { width: 100, height: 100, dhash: '0123456789abcdef', phash: p, flat: false });
  }
  const group = (marks: string[]) =>
    buildGroups(table, { keep: keepOrder(), similar: { looks, threshold: 40 }, notDuplicates: new Set(marks), kept: new KeptCopies([]), device: 'pc', vaultOnly: false });
  const chained = group([]);
  assert.deepEqual(chained.groups.map((g) => g.members.map((m) => m.path).sort()), [['/cache/a.jpg', '/cache/b.jpg', '/cache/c.jpg']], 'A-B and B-C join all three');
  const marked = group([`${'a'.repeat(16)}:${'c'.repeat(16)}`]);
  assert.equal(marked.marksHonoured, 1);
  assert.equal(marked.groups.length, 1);
  const members = marked.groups[0].members.map((m) => m.path).sort();
  assert.ok(!(members.includes('/cache/a.jpg') && members.includes('/cache/c.jpg')), `a and c apart: ${members}`);
  assert.equal(members.length, 2);
});

test('flat pictures (blank, one colour) are never called similar', () => {
  const table = new PlaceTable();
  const looks = new Map<string, PerceptualHash>();
  for (const name of ['x', 'y']) {
    const hash = name.repeat(16);
    const row = table.add({ where: 'source', path: `/cache/${name}.png`, root: '/cache', source: 'folder', kind: 'sticker', size: 50 + name.charCodeAt(0), mtimeMs: 0, taken: '2024-01-01 12:00:00', month: '2024-01', dat: false });
    table.learn(row, hash, hash, 50, 'png');
    looks.set(hash, { width: 10, height: 10, dhash: '0'.repeat(16), phash: '0'.repeat(64), flat: true });
  }
  assert.equal(buildGroups(table, { keep: keepOrder(), similar: { looks, threshold: 60 }, notDuplicates: new Set(), kept: new KeptCopies([]), device: 'pc', vaultOnly: false }).groups.length, 0);
});
