import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { MANIFEST_ENTRY, type Manifest } from '../../src/vault/manifest.js';
import { hashBytes } from '../../src/media/hash.js';
import { imageEntry, rewriteZip, writeRawZip, zeroBomb } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { BIN, picvault, type Run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };
const dropCatalogue = async (vault: string) => {
  for (const f of ['picvault.db', 'picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
};
/** No stack trace, no "failed unexpectedly": a message the user can read. */
const assertNoCrash = (r: Run, label: string) => {
  assert.doesNotMatch(r.stderr, /unexpectedly|\n\s+at |TypeError/, `${label}: ${r.stderr}`);
  assert.notEqual(r.code, 1, `${label}: ${r.stderr}`);
};

async function archived() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 6, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  return { root, src, vault };
}

const MALFORMED: [string, (m: Manifest) => unknown][] = [
  ['"images":[null]', (m) => ({ ...m, images: [null] })],
  ['an image without its fields', (m) => ({ ...m, images: [{}, ...m.images.slice(1)] })],
  ['fields of the wrong type', (m) => ({ ...m, locations: m.locations.map((l, i) => (i === 0 ? { ...l, mtimeMs: 'yesterday', size: -1, path: 7 } : l)) })],
  ['"locations":[null] and a hash that is not one', (m) => ({ ...m, locations: [null], images: m.images.map((img, i) => (i === 0 ? { ...img, hash: '../../etc' } : img)) })],
];

test('a manifest that parses but does not fit its schema marks its zip damaged; reindex, archive\'s recovery, verify and restore go on', async () => {
  const { root, src, vault } = await archived();
  for (const [i, [label, edit]] of MALFORMED.entries()) {
    const copy = path.join(root, `v${i}`);
    await cp(vault, copy, { recursive: true });
    const [first] = await vaultZips(copy);
    const crafted = await rewriteZip(first, { manifest: edit });

    // archive: its recovery meets the crafted zip, uncatalogued, and leaves it for verify.
    const a = await picvault(['archive', src, '--to', copy], { env });
    assertNoCrash(a, `${label}: archive`);
    assert.equal(a.code, 0, `${label}: ${a.stderr}`);

    // reindex without the catalogue: the zip is reported, its pictures found by their entry names.
    await dropCatalogue(copy);
    const r = await picvault(['reindex', '--vault', copy, '--json']);
    assertNoCrash(r, `${label}: reindex`);
    assert.equal(r.code, 4, `${label}: ${r.stderr}`);
    const result = JSON.parse(r.stdout);
    assert.match(JSON.stringify(result.damaged), /manifest does not fit its schema/, label);
    assert.equal(result.totals.images, 6, `${label}: every picture found`);

    // verify, with the crafted zip under its catalogued name; restore of what is left.
    const v = await picvault(['verify', '--vault', copy, '--read-data']);
    assertNoCrash(v, `${label}: verify`);
    assert.equal(v.code, 4, label);
    await rename(crafted, crafted.replace(/_[0-9a-f]{16}\.zip$/, '_0000000000000000.zip'));
    const moved = await picvault(['verify', '--vault', copy]);
    assertNoCrash(moved, `${label}: verify of a missing zip`);
    const back = await picvault(['restore', '--from', copy, '--to', path.join(root, `back${i}`)]);
    assertNoCrash(back, `${label}: restore`);
  }
});

/** The real binary under GNU time: its exit and its peak memory in MB. */
async function measured(args: string[]): Promise<{ code: number | null; stderr: string; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'PEAK %M', process.execPath, BIN, ...args], { env: { ...process.env, LANG: 'en_US.UTF-8', ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, peakMb: Number(/PEAK (\d+)/.exec(stderr)?.[1] ?? 0) / 1024 }));
  });
}

test('a 1.5 MB zip whose manifest inflates to 1.5 GB is damaged, read in bounded memory by reindex, verify and archive\'s recovery', { timeout: 300_000 }, async () => {
  const { root, src, vault } = await archived();
  const month = path.join(vault, 'archives', '2024', '2024-03');
  await mkdir(month, { recursive: true });
  const image = await imageEntry(await readPicture(src));
  const bomb = zeroBomb(1.5e9);
  // One manifest that says it is small (the inflate must stop by itself), one that says how big it is;
  // each zip named by its own hash, as a vault zip is.
  for (const declared of [1000, 1.5e9]) {
    const tmp = path.join(month, 'bomb.tmp');
    await writeRawZip(tmp, [image, { name: MANIFEST_ENTRY, data: bomb, method: 8, size: declared, crc: crc32(Buffer.alloc(0)) }]);
    await rename(tmp, path.join(month, `2024-03_${await hashBytes(await readFile(tmp))}.zip`));
  }
  const bombs = (await readdir(month)).map((f) => path.join(month, f));
  assert.equal(bombs.length, 2);
  for (const b of bombs) assert.ok((await stat(b)).size < 2e6, 'a small zip');

  const recovery = await measured(['archive', src, '--to', vault]);
  assert.equal(recovery.code, 0, recovery.stderr);
  assert.ok(recovery.peakMb < 300, `archive's recovery peaked at ${recovery.peakMb} MB`);
  await dropCatalogue(vault);
  const re = await measured(['reindex', '--vault', vault]);
  assert.equal(re.code, 4, re.stderr);
  assert.match(re.stderr, /inflates to more than 33554432 bytes/);
  assert.match(re.stderr, /inflates to 1500000000 bytes, more than 33554432/);
  assert.ok(re.peakMb < 300, `reindex peaked at ${re.peakMb} MB`);
  const v = await measured(['verify', '--vault', vault, '--read-data']);
  assert.equal(v.code, 4, v.stderr);
  assert.ok(v.peakMb < 300, `verify peaked at ${v.peakMb} MB`);
  void root;
});

async function readPicture(src: string): Promise<Buffer> {
  const [first] = (await snapshot(src)).values();
  return first.bytes;
}

/** The binary, killed if it has not finished in `ms`: a hang fails the test instead of stalling it. */
function within(args: string[], ms: number): Promise<Run & { hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', PICVAULT_VAULT: '', ...env } });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, ms);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

test('a catalogued zip that is a symlink to /dev/zero, or a FIFO, hangs nothing: verify, restore, reindex, archive and clean finish', { timeout: 600_000 }, async () => {
  for (const kind of ['symlink to /dev/zero', 'FIFO']) {
    const { root, src, vault } = await archived();
    const [zip] = await vaultZips(vault);
    await rm(zip);
    if (kind === 'FIFO') await promisify(execFile)('mkfifo', [zip]);
    else await symlink('/dev/zero', zip);
    const runs: [string[], number][] = [
      [['verify', '--vault', vault], 4],
      [['verify', '--vault', vault, '--read-data'], 4],
      [['restore', '--from', vault, '--to', path.join(root, 'back')], 3],
      [['archive', src, '--to', vault], 0],
      // verify marked the zip damaged: its files stay, and that is damage (exit 4).
      [['clean', src, '--vault', vault, '--yes'], 4],
      [['reindex', '--vault', vault], 4],
    ];
    for (const [args, code] of runs) {
      const r = await within(args, 60_000);
      assert.equal(r.hung, false, `${kind}: ${args[0]} hung`);
      assert.equal(r.code, code, `${kind}: ${args.join(' ')}: ${r.stderr}`);
      assertNoCrash(r, `${kind}: ${args[0]}`);
    }
    assert.match((await within(['verify', '--vault', vault], 60_000)).stderr, /not a regular file/);
  }
});
