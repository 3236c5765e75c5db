import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { picvault } from '../helpers/cli.js';
import { flipByteInEntry } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

/**
 * A plain verify reads no picture: after one flipped byte it cannot say which of the zip's
 * pictures are bad, so it says they may be, and names files still on disk as such (not lost);
 * verify --read-data then says exactly; clean still refuses the damaged zip.
 */
test('one flipped byte: plain verify says "may have no good copy" and which files are still on disk, --read-data the exact count, clean still refuses (English and Chinese)', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const cleaned = path.join(src, 'a');
  const onDisk = path.join(src, 'b');
  await buildTree(cleaned, 2, ['2024-01']);
  await buildTree(onDisk, 2, ['2024-01'], 10);
  const vault = path.join(root, 'vault');
  const env = { PICVAULT_DEVICE: 'pc' };
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  const c = await picvault(['clean', cleaned, '--vault', vault, '--yes'], { env });
  assert.equal(c.code, 0, c.stderr);
  const [zip] = await vaultZips(vault);
  await flipByteInEntry(zip);

  const plain = await picvault(['verify', '--vault', vault], { env });
  assert.equal(plain.code, 4, plain.stderr);
  assert.match(plain.stderr, /^4 original files may have no good copy in the vault: this check read no picture/m);
  assert.doesNotMatch(plain.stderr, /files? ha(?:ve|s) no good copy/);
  const lines = plain.stderr.split('\n');
  for (const f of lines.filter((l) => l.includes(onDisk))) assert.match(f, /still on disk: never cleaned/);
  for (const f of lines.filter((l) => l.includes(cleaned))) assert.doesNotMatch(f, /still on disk/);
  assert.equal(lines.filter((l) => l.includes(onDisk)).length, 2);
  assert.match(plain.stderr, /^2 of them were never cleaned and are not lost/m);
  const zh = await picvault(['verify', '--vault', vault], { env: { ...env, LANG: 'zh_CN.UTF-8' } });
  assert.equal(zh.code, 4);
  assert.match(zh.stderr, /4 个原始文件在仓库中可能没有完好的副本/);
  assert.match(zh.stderr, /仍在磁盘上：从未清理/);

  const before = await snapshot(onDisk);
  const refused = await picvault(['clean', onDisk, '--vault', vault, '--yes'], { env });
  assert.equal(refused.code, 4, refused.stderr + refused.stdout);
  assert.match(refused.stderr, /its archive in the vault is damaged \(kept\)/);
  assert.deepEqual(await snapshot(onDisk), before, 'nothing deleted on a damaged zip');

  const read = await picvault(['verify', '--vault', vault, '--read-data'], { env });
  assert.equal(read.code, 4, read.stderr);
  assert.match(read.stderr, /^1 original file has no good copy in the vault:/m);
  assert.doesNotMatch(read.stderr, /may have/);
});
