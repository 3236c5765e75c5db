import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { archiveKilledAtManyMoments, assertAllRestored } from '../helpers/crash.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

test('archive killed with SIGKILL at many moments: no partial zip under a final name, the re-run completes, all restorable', { timeout: 600_000 }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, 300, ['2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03']);
  // Forwarded copies: the same bytes in another chat and month.
  for (const f of files.slice(0, 60)) {
    const copy = path.join(src, 'forwarded', path.basename(f));
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(f, copy);
    await utimes(copy, new Date(2024, 4, 2, 12), new Date(2024, 4, 2, 12));
  }
  const original = await snapshot(src);
  const vault = path.join(root, 'vault');
  // Small parts: many zips, many renames and commits to be killed between.
  const args = ['archive', src, '--to', vault, '--device-name', 'pc', '--max-archive-size', '24KB', '--quiet'];

  // How long an uninterrupted run takes here, measured on a scratch vault, sets the kill window;
  // killed or finished, the vault never holds a bad zip under a final name.
  const { kills, full } = await archiveKilledAtManyMoments(args, path.join(root, 'probe'), 12);
  assert.deepEqual(await snapshot(src), original, 'archive never changes the originals');

  const final = await picvault(args);
  assert.equal(final.code, 0, final.stderr);
  assert.equal((await readdir(root)).includes('vault'), true);
  const v = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(v.code, 0, `${v.stdout}${v.stderr} (kills at ${kills.join(', ')} ms of ${full})`);

  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back]);
  assert.equal(r.code, 0, r.stderr);
  await assertAllRestored(original, src, back, 'pc');
  // Each distinct image stored once despite the kills.
  const months = JSON.parse((await picvault(['catalog', 'months', '--vault', vault, '--json'])).stdout);
  assert.equal(months.totals.images, 300);
  assert.equal(months.totals.locations, 360);
});

test('a zip renamed but not catalogued (killed before the commit) is verified and adopted; a partial one is removed', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 12, ['2024-01', '2024-02']);
  const first = path.join(root, 'first');
  // Several parts per month, and a second device's zips that only record places: manifests that
  // refer to images in other zips, whatever order their names sort in.
  assert.equal((await picvault(['archive', src, '--to', first, '--device-name', 'pc', '--max-archive-size', '4KB'])).code, 0);
  assert.equal((await picvault(['archive', src, '--to', first, '--device-name', 'laptop'])).code, 0);
  const zips = await vaultZips(first);
  assert.ok(zips.length >= 6, `${zips.length} zips`);

  // The state a kill leaves between rename and commit: final-named zips, a catalogue without them.
  const vault = path.join(root, 'vault');
  for (const zip of await vaultZips(first)) {
    const dest = path.join(vault, path.relative(first, zip));
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(zip, dest);
  }
  const partial = path.join(vault, 'archives', '2024', '2024-01', '.2024-01_abcdef.zip.partial');
  const { writeFile, stat } = await import('node:fs/promises');
  await writeFile(partial, 'PK\u0003\u0004 half a zip');
  const { openCatalog } = await import('../../src/catalog/db.js');
  openCatalog(path.join(vault, 'picvault.db')).close();

  const r = await picvault(['archive', src, '--to', vault, '--device-name', 'pc', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.recovery.adopted.length, zips.length);
  assert.equal(result.recovery.lostPlaces, 0);
  assert.equal(result.recovery.partialsRemoved, 1);
  const months = JSON.parse((await picvault(['catalog', 'months', '--vault', vault, '--json'])).stdout);
  assert.equal(months.totals.locations, 24, 'both devices\' places are back');
  assert.equal(result.plan.newImages, 0, 'adopted images are not stored again');
  assert.equal(await stat(partial).catch(() => null), null);
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
});
