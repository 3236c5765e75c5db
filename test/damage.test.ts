import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { ArchivePlanner } from '../src/core/archive-plan.js';
import { writeMonth, type MonthIo } from '../src/engine/month-writer.js';
import { writeZips } from '../src/engine/zip-parts.js';
import { EXIT, PicvaultError } from '../src/errors.js';
import { checkZip } from '../src/vault/check-zip.js';
import { openVault } from '../src/vault/vault.js';
import { restore } from '../src/core/restore.js';
import { verify } from '../src/core/verify.js';
import { buildTree, hashedFile } from './helpers/images.js';
import { picvault } from './helpers/cli.js';
import { flipByteInEntry } from './helpers/damage.js';
import { tempDir } from './helpers/tmp.js';
import { vaultZips } from './helpers/vault.js';

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

test('the read-back with synchronous reads (the reader threads\') finds a flipped byte and a cut zip as the thread-pool reads do', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 8, ['2024-05']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  const [zip] = await vaultZips(vault);
  for (const sync of [true, false]) assert.deepEqual((await checkZip(zip, { readData: true, sync })).damage, [], `whole (sync: ${sync})`);

  await flipByteInEntry(zip);
  for (const sync of [true, false]) {
    const { damage, badImages } = await checkZip(zip, { readData: true, sync });
    assert.equal(badImages.size, 1, `one image bad (sync: ${sync})`);
    assert.match(damage.join('; '), /does not match its hash/);
  }

  // Cut inside the last image: its entry is short, or the central directory is gone.
  const cut = path.join(root, 'cut.zip');
  const bytes = await readFile(zip);
  await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  for (const sync of [true, false]) assert.notDeepEqual((await checkZip(cut, { readData: true, sync })).damage, [], `cut (sync: ${sync})`);
});

test('a zip damaged between its writing and its read-back fails the month (exit 4), and no zip keeps a final name', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 6, ['2024-06']);
  const files = await Promise.all((await readdir(src, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map(async (e) => {
      const p = path.join(e.parentPath, e.name);
      return hashedFile(p, await readFile(p), src, '2024-06-05');
    }));
  const vault = await openVault(path.join(root, 'vault'), { write: true, create: true });
  try {
    const plan = new ArchivePlanner(() => new Set(), 'pc').planMonth('2024-06', files);
    const io: MonthIo = {
      // Written whole, then damaged on disk before the read-back (a bad disk, a bad cable).
      async writeZips(job) {
        const written = await writeZips(job, async (sources) => readFile(sources[0].path));
        for (const part of written.parts) await flipByteInEntry(part.tmp);
        return written;
      },
      check: async (zip) => (await checkZip(zip, { readData: true, sync: true })).damage,
    };
    await assert.rejects(writeMonth(vault, plan, { io, maxArchiveSize: 2 ** 31, skipped: [] }), (err: unknown) => {
      assert.ok(err instanceof PicvaultError);
      assert.equal(err.key, 'archive.readback');
      assert.equal(err.exitCode, EXIT.damaged);
      return true;
    });
  } finally {
    await vault.close();
  }
  const left = (await readdir(path.join(root, 'vault'), { recursive: true })).filter((n) => n.endsWith('.zip'));
  assert.deepEqual(left, [], 'the damaged zip was removed, not left under its final name');
});
