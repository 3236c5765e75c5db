import assert from 'node:assert/strict';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { restore } from '../src/core/restore.js';
import { verify } from '../src/core/verify.js';
import { ZipReader } from '../src/vault/zip-reader.js';
import { buildTree } from './helpers/images.js';
import { picvault } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';
import { vaultZips } from './helpers/vault.js';

/** Flips one byte in the middle of the first image entry's data. */
async function flipByteInEntry(zip: string): Promise<void> {
  const reader = await ZipReader.open(zip);
  const name = [...reader.entries.keys()].find((n) => !n.startsWith('picvault-'))!;
  const bytes = await reader.readEntry(name);
  const handle = await open(zip, 'r+');
  try {
    const all = Buffer.alloc((await stat(zip)).size);
    await handle.read(all, 0, all.length, 0);
    const at = all.indexOf(bytes.subarray(100, 132)) + 10;
    assert.ok(at > 10, 'entry data found in the zip');
    const b = Buffer.from([all[at] ^ 0xff]);
    await handle.write(b, 0, 1, at);
  } finally {
    await handle.close();
  }
}

test('a flipped byte and a deleted archive are found by verify (exit 4); restore skips only what is damaged (exit 3)', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 12, ['2024-01', '2024-02', '2024-03']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  const zips = await vaultZips(vault);
  assert.equal(zips.length, 3);

  assert.equal((await verify({ vault, readData: true })).damaged.length, 0);
  await flipByteInEntry(zips[0]);
  await rm(zips[1]);

  const v = await verify({ vault, readData: true });
  assert.deepEqual(v.damaged.map((d) => path.basename(d.name)).sort(), [path.basename(zips[0]), path.basename(zips[1])].sort());
  assert.ok(v.affected.length >= 5, 'the original files behind the damage are named');

  const cli = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(cli.code, 4, cli.stderr);
  assert.match(cli.stderr, /DAMAGE in 2 archives/);
  assert.ok(cli.stderr.includes(path.basename(zips[1])));

  const back = path.join(root, 'back');
  const r = await restore({ vault, to: back });
  assert.equal(r.restored, 12 - r.skipped.length);
  assert.ok(r.skipped.length >= 5 && r.skipped.every((s) => s.skip === 'damaged'));
  assert.equal(r.restored, 8 - 1, 'the third month and the undamaged images of the first come back');

  const cliRestore = await picvault(['restore', '--from', vault, '--to', path.join(root, 'back2')]);
  assert.equal(cliRestore.code, 3, cliRestore.stderr);
  assert.match(cliRestore.stderr, /files skipped/);
});
