import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { flipByteInEntry, flipByteInManifest } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };
const lines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
const placesOf = async (vault: string) => lines((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout).map((r) => `${r.device} ${r.path} ${r.hash}`).sort();
const dropCatalogue = async (vault: string) => {
  for (const f of ['picvault.db', 'picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
};

async function archived(months = ['2024-01', '2024-02']) {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 6, months);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault, zips: await vaultZips(vault), places: await placesOf(vault) };
}

test('one flipped byte in a zip\'s deflated manifest: reindex keeps every place, finds the images by their entry names, and reports the zip (exit 4)', async () => {
  const { vault, zips, places } = await archived();
  await flipByteInManifest(zips[0]);
  const r = await picvault(['reindex', '--vault', vault, '--json']);
  assert.equal(r.code, 4, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.damaged.map((d: { name: string }) => path.basename(d.name)), [path.basename(zips[0])]);
  assert.match(r.stderr, /picvault repair --vault/);
  assert.deepEqual(await placesOf(vault), places, 'no place forgotten');
  assert.equal(result.totals.images, 6, 'the damaged zip\'s images were found by their entry names');
  const v = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(v.code, 4, 'verify does not call the vault whole afterwards');

  // With the old catalogue gone too, the images are still found and the zip still reported.
  await dropCatalogue(vault);
  const alone = await picvault(['reindex', '--vault', vault, '--json']);
  assert.equal(alone.code, 4, alone.stderr);
  assert.equal(JSON.parse(alone.stdout).totals.images, 6);
});

test('a deleted zip, then a deleted archives/ folder: reindex keeps what the old catalogue knew, marked missing, exit 4', async () => {
  const { vault, zips, places } = await archived();
  await rm(zips[1]);
  const r = await picvault(['reindex', '--vault', vault]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, new RegExp(`${path.basename(zips[1])}: missing`));
  assert.match(r.stdout, /kept from the old catalogue what no archive says: 1 missing archive, 3 pictures and 3 places/);
  assert.deepEqual(await placesOf(vault), places);
  const v = await picvault(['verify', '--vault', vault]);
  assert.equal(v.code, 4);
  assert.match(v.stderr, /3 original files have no good copy/);

  await rm(path.join(vault, 'archives'), { recursive: true });
  const gone = await picvault(['reindex', '--vault', vault]);
  assert.equal(gone.code, 4, gone.stderr);
  assert.doesNotMatch(gone.stdout, /from 0 archives/);
  assert.deepEqual(await placesOf(vault), places, 'every place still known');
  // And in Chinese.
  const zh = await picvault(['reindex', '--vault', vault, '--lang', 'zh']);
  assert.equal(zh.code, 4);
  assert.match(zh.stdout, /已从旧目录保留/);

  // A folder with neither catalogue nor archives is not a vault: nothing is made there.
  const empty = path.join(path.dirname(vault), 'empty');
  await mkdir(empty);
  const none = await picvault(['reindex', '--vault', empty]);
  assert.equal(none.code, 10, none.stderr);
  assert.deepEqual([...(await snapshot(empty)).keys()], []);
});

test('two zips hold the same pictures and one is damaged: reindex uses the good copy, whichever sorts first', async () => {
  const { root, src, vault, zips } = await archived(['2024-01']);
  const original = await snapshot(src);
  // The same pictures stored again by another vault, whose zip is then put beside the first.
  const other = path.join(root, 'other');
  assert.equal((await picvault(['archive', src, '--to', other], { env: { PICVAULT_DEVICE: 'laptop' } })).code, 0);
  const [twin] = await vaultZips(other);
  const twinHere = path.join(path.dirname(zips[0]), path.basename(twin));
  await copyFile(twin, twinHere);
  const pair = [zips[0], twinHere].sort();
  for (const [i, rotten] of pair.entries()) {
    const copy = path.join(root, `copy${i}`);
    await cp(vault, copy, { recursive: true });
    await flipByteInEntry(path.join(copy, path.relative(vault, rotten)));
    await dropCatalogue(copy);
    const r = await picvault(['reindex', '--vault', copy]);
    assert.equal(r.code, 4, r.stderr);
    const back = path.join(root, `back${i}`);
    const restored = await picvault(['restore', '--from', copy, '--to', back, '--device', 'pc']);
    assert.equal(restored.code, 0, `${i}: ${restored.stderr}`);
    for (const [rel, f] of original) assert.deepEqual(await readFile(path.join(back, 'pc', path.relative('/', path.join(src, rel)))), f.bytes, rel);
  }
});
