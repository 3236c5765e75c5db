import assert from 'node:assert/strict';
import { copyFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { restore } from '../src/core/restore.js';
import { buildTree } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';
import { listAll } from './helpers/vault.js';

// A selection's month and full hashes are looked up by index (catalog/locations.ts Narrowing):
// what it selects must be exactly what the predicate alone selects from every place.
test('a month or a hash looked up by index selects exactly the places the whole catalogue filtered would', async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  const files = await buildTree(src, 9, ['2024-03', '2024-04', '2024-05']);
  // The first picture seen again in another chat two months later: one hash, two months.
  const again = path.join(src, 'later', path.basename(files[0]));
  await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(again), { recursive: true }));
  await copyFile(files[0], again);
  const when = new Date(2024, 4, 20, 12);
  await utimes(again, when, when);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'laptop' });

  const all = await listAll(vault);
  assert.equal(all.length, 10);
  const key = (r: { path: string; hash: string }) => `${r.hash} ${r.path}`;
  for (const month of ['2024-03', '2024-04', '2024-05', '2024-06']) {
    assert.deepEqual((await listAll(vault, { month })).map(key), all.filter((r) => r.month === month).map(key), month);
  }
  const twice = all.find((r) => r.path === again)!.hash;
  for (const h of new Set(all.map((r) => r.hash))) {
    const expected = all.filter((r) => r.hash === h).map(key);
    assert.deepEqual((await listAll(vault, { hashes: [h] })).map(key), expected, h);
    assert.deepEqual((await listAll(vault, { hashes: [h.slice(0, 7)] })).map(key), expected, `${h} by its prefix`);
  }
  assert.equal((await listAll(vault, { hashes: [twice] })).length, 2, 'both months of the picture seen twice');
  assert.deepEqual((await listAll(vault, { hashes: [twice], month: '2024-05' })).map((r) => r.path), [again]);

  const dry = await restore({ vault, selection: { hashes: [twice] }, to: path.join(root, 'back'), dryRun: true });
  assert.equal(dry.selected, 2);
  const one = await restore({ vault, selection: { hashes: [twice], month: '2024-05' }, to: path.join(root, 'back'), dryRun: true });
  assert.deepEqual(one.items.map((i) => i.from), [again]);
});
