import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { checkZip } from '../../src/vault/check-zip.js';
import { parseArchiveName } from '../../src/vault/layout.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { BIN, picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

/** Starts archive and SIGKILLs it after `ms`; resolves when it is dead (or finished first). */
function archiveKilledAfter(args: string[], ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, LANG: 'en_US.UTF-8' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** SPEC invariant 2: nothing under a final name is half-written. */
async function assertNoBadFinalZip(vault: string): Promise<void> {
  for (const zip of await vaultZips(vault)) {
    const parsed = parseArchiveName(path.basename(zip));
    assert.ok(parsed, `${zip} has a final name`);
    const check = await checkZip(zip, { readData: true, expectedXxh64: parsed.xxh64 });
    assert.deepEqual(check.damage, [], `${zip} is whole`);
  }
}

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

  // How long an uninterrupted run takes here, measured on a scratch vault, sets the kill window.
  const probeStart = Date.now();
  const probe = await picvault([...args.slice(0, 3), path.join(root, 'probe'), ...args.slice(4)]);
  assert.equal(probe.code, 0, probe.stderr);
  const full = Date.now() - probeStart;

  const kills: number[] = [];
  for (let i = 0; i < 12; i++) {
    const at = Math.round(150 + (full * (i + Math.random())) / 12);
    const code = await archiveKilledAfter(args, at);
    kills.push(at);
    // Killed or finished, the vault never holds a bad zip under a final name, and the originals are untouched.
    await assertNoBadFinalZip(vault);
    if (code === 0) break;
  }
  assert.deepEqual(await snapshot(src), original, 'archive never changes the originals');

  const final = await picvault(args);
  assert.equal(final.code, 0, final.stderr);
  assert.equal((await readdir(root)).includes('vault'), true);
  const v = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(v.code, 0, `${v.stdout}${v.stderr} (kills at ${kills.join(', ')} ms of ${full})`);

  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back]);
  assert.equal(r.code, 0, r.stderr);
  const restored = await snapshot(path.join(back, 'pc'));
  for (const [rel, f] of original) {
    const abs = path.join(src, rel);
    const got = restored.get(path.relative('/', abs));
    assert.ok(got, `${rel} is restorable`);
    assert.deepEqual(got.bytes, f.bytes, rel);
    assert.ok(Math.abs(got.mtimeMs - f.mtimeMs) < 1, rel);
  }
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
