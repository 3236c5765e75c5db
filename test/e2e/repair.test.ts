import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { hashBytes } from '../../src/media/hash.js';
import { flipByteInEntry } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };
const lines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);

/** Six pictures over two months, archived from device pc, and the same tree in a second vault. */
async function twoVaults() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 6, ['2024-01', '2024-02']);
  const original = await snapshot(src);
  const vault = path.join(root, 'vault');
  const other = path.join(root, 'other');
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  assert.equal((await picvault(['archive', src, '--to', other], { env: { PICVAULT_DEVICE: 'laptop' } })).code, 0);
  const list = lines((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout);
  return { root, src, vault, other, original, list };
}

async function restoresWhole(vault: string, src: string, original: Map<string, { bytes: Buffer }>, back: string): Promise<void> {
  const r = await picvault(['restore', '--from', vault, '--to', back, '--device', 'pc']);
  assert.equal(r.code, 0, r.stderr);
  for (const [rel, f] of original) assert.deepEqual(await readFile(path.join(back, 'pc', path.relative('/', path.join(src, rel)))), f.bytes, rel);
}

test('repair stores each damaged picture again from any good copy (the zip itself, this device, a folder, another vault), moves the damaged zip aside, and the vault verifies', async () => {
  const { root, src, vault, other, original, list } = await twoVaults();
  const [january, february] = await vaultZips(vault);
  const rotten = (await flipByteInEntry(january)).slice(0, 16);
  const rottenZip = await readFile(january);
  await rm(february);
  // February's pictures: one original still in place, one moved into another folder, one only in the other vault.
  const feb = list.filter((r) => r.month === '2024-02').map((r) => r.path);
  assert.equal(feb.length, 3);
  const found = path.join(root, 'found');
  await mkdir(found);
  await copyFile(feb[1], path.join(found, 'renamed.bin'));
  await rm(feb[1]);
  await rm(feb[2]);

  const before = await snapshot(vault);
  const dry = await picvault(['repair', found, '--vault', vault, '--from-vault', other, '--dry-run', '--json'], { env });
  assert.equal(dry.code, 4, dry.stderr);
  assert.deepEqual(await snapshot(vault), before, 'a dry run changes nothing');
  assert.equal(JSON.parse(dry.stdout).unrecoverable.length, 0);

  const r = await picvault(['repair', found, '--vault', vault, '--from-vault', other, '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  const byName = new Map(result.archives.map((a: { name: string }) => [path.basename(a.name), a]));
  assert.deepEqual((byName.get(path.basename(january)) as { restored: object }).restored, { zip: 2, place: 1 });
  assert.deepEqual((byName.get(path.basename(february)) as { restored: object }).restored, { place: 1, folder: 1, vault: 1 });
  // The damaged zip is kept, byte for byte, in VAULT/damaged/; the missing one is simply no longer expected.
  assert.deepEqual(await readFile(path.join(vault, 'damaged', path.basename(january))), rottenZip);
  assert.equal((await vaultZips(vault)).includes(january), false);

  const v = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(v.code, 0, v.stderr);
  await restoresWhole(vault, src, original, path.join(root, 'back'));
  assert.ok(lines((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout).some((row) => row.hash === rotten));

  // The new zips record every place again: the catalogue rebuilt from the zips alone knows them all.
  for (const f of ['picvault.db', 'picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
  const re = await picvault(['reindex', '--vault', vault]);
  assert.equal(re.code, 0, re.stderr);
  assert.match(re.stdout, /6 images, 6 places/);
  await restoresWhole(vault, src, original, path.join(root, 'back-reindexed'));
});

test('a picture with no good copy anywhere is listed with its places (exit 4, in English and Chinese); a later repair given a copy mends it', async () => {
  const { root, src, vault, list } = await twoVaults();
  const [january] = await vaultZips(vault);
  const rotten = (await flipByteInEntry(january)).slice(0, 16);
  const place = list.find((r) => r.hash === rotten)!.path;
  const saved = path.join(root, 'saved');
  await mkdir(saved);
  await copyFile(place, path.join(saved, 'copy.jpg'));
  await rm(place);

  const r = await picvault(['repair', '--vault', vault], { env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /1 picture has no good copy anywhere/);
  assert.ok(r.stderr.includes(place), r.stderr);
  const v = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(v.code, 4, 'the vault still says what is missing');
  const zh = await picvault(['repair', '--vault', vault, '--lang', 'zh'], { env });
  assert.equal(zh.code, 4);
  assert.match(zh.stderr, /没有完好的副本/);

  const mended = await picvault(['repair', saved, '--vault', vault], { env });
  assert.equal(mended.code, 0, mended.stderr);
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back, '--hash', rotten])).code, 0);
  const [restored] = (await snapshot(back)).values();
  assert.equal(await hashBytes(restored.bytes), rotten);
  void src;
});
