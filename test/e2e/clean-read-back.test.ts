import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { hashBytes } from '../../src/media/hash.js';
import { flipByteInEntry } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };

/** Six pictures over two months (a zip each), two of them forwarded into another chat: eight places. */
async function archivedWithCopies() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, 6, ['2024-01', '2024-02']);
  for (const f of files.slice(0, 2)) {
    const copy = path.join(src, 'forwarded', path.basename(f));
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(f, copy);
    const { mtime } = await stat(f);
    await utimes(copy, mtime, mtime);
  }
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  const sizes = new Map<string, number>();
  for (const [, f] of await snapshot(src)) sizes.set(await hashBytes(f.bytes), f.bytes.length);
  return { root, src, vault, sizes };
}

test('clean reads each picture back from its zip once, not once per place: the distinct bytes being cleaned', async () => {
  const { src, vault, sizes } = await archivedWithCopies();
  const r = await picvault(['clean', src, '--vault', vault, '--yes', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.deleted, 8);
  assert.deepEqual(out.readBack, { pictures: 6, bytes: [...sizes.values()].reduce((a, b) => a + b, 0), damaged: 0 });
  const human = await picvault(['clean', src, '--vault', vault, '--yes'], { env });
  assert.equal(human.code, 0, human.stderr);
});

test('a bit flipped in a stored picture after archiving (size unchanged): clean keeps every place of that zip\'s pictures, marks it damaged, exit 4, suggests repair', async () => {
  const { src, vault } = await archivedWithCopies();
  const before = await snapshot(src);
  const zips = await vaultZips(vault);
  assert.equal(zips.length, 2);
  const sizeBefore = (await stat(zips[0])).size;
  const rotten = await flipByteInEntry(zips[0]);
  assert.equal((await stat(zips[0])).size, sizeBefore, 'bit rot: same size');
  const rottenHash = rotten.slice(0, 16);

  const r = await picvault(['clean', src, '--vault', vault, '--yes', '--json'], { env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /picvault repair --vault/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.readBack.damaged, 1);
  const after = await snapshot(src);
  // Every place of the rotten picture stays, byte for byte, and so does every place stored in that zip.
  const inDamagedZip = new Set<string>();
  const list = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  for (const row of list) if (row.archive === path.relative(vault, zips[0]).split(path.sep).join('/')) inDamagedZip.add(row.path);
  assert.ok(inDamagedZip.size >= 3);
  for (const [rel, f] of before) {
    const abs = path.join(src, rel);
    if (inDamagedZip.has(abs)) assert.deepEqual(after.get(rel)?.bytes, f.bytes, `${rel} kept`);
    else assert.equal(after.has(rel), false, `${rel}, stored in the whole zip, was cleaned`);
  }
  assert.ok(list.some((row) => row.hash === rottenHash && after.has(path.relative(src, row.path))));
  // The zip carries a data-strength mark: a plain verify cannot clear it.
  const show = await picvault(['catalog', 'show', rottenHash, '--vault', vault]);
  assert.match(show.stdout, /DAMAGED/);
  const again = await picvault(['clean', src, '--vault', vault, '--yes'], { env });
  assert.equal(again.code, 4, again.stderr);
  assert.match(again.stderr, /repair/);
  assert.deepEqual(await readFile(path.join(src, 'chat0', 'img0.jpg')), before.get(path.join('chat0', 'img0.jpg'))!.bytes);
});
