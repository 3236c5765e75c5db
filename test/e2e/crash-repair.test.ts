import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { checkZip } from '../../src/vault/check-zip.js';
import { parseArchiveName } from '../../src/vault/layout.js';
import { flipByteInEntry } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { BIN, picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };

/** Starts the run and SIGKILLs it `ms` after `appears` exists (polled every 2 ms): a kill inside the work itself. */
function killedAfterAppears(args: string[], appears: string, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, LANG: 'en_US.UTF-8', ...env } });
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (timer || !existsSync(appears)) return;
      timer = setTimeout(() => child.kill('SIGKILL'), ms);
    }, 2);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function killedAfter(args: string[], ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, LANG: 'en_US.UTF-8', ...env } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** No zip under a final name in archives/ is half-written: each hashes to its name and opens (the zips damaged on purpose aside). */
async function assertNoHalfZip(vault: string, label: string, damaged: Map<string, Buffer> = new Map()): Promise<void> {
  for (const zip of await vaultZips(vault)) {
    if (damaged.has(path.basename(zip))) continue;
    const check = await checkZip(zip, { readData: false, expectedXxh64: parseArchiveName(path.basename(zip))!.xxh64 });
    assert.ok(check.manifest, `${label}: ${zip} opens with its manifest`);
    assert.ok(!check.damage.some((d) => d.startsWith('content hash')), `${label}: ${zip} hashes to its name`);
  }
}

/** Every file picvault leaves in a vault after a finished run: no partial zip, no rebuild catalogue. */
async function leftovers(vault: string): Promise<string[]> {
  const all = await readdir(vault, { recursive: true });
  return all.filter((f) => /\.partial$|\.rebuild|\.lock$/.test(f));
}

const labels = (kills: (number | null)[]) => kills.map((k) => (k === 0 ? 'finished' : 'killed')).join(', ');

async function damagedVault() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  // Many months and small parts: repair has many zips to write, rename and catalogue, to be killed between.
  await buildTree(src, 48, ['2023-11', '2023-12', '2024-01', '2024-02']);
  const original = await snapshot(src);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault, '--max-archive-size', '24KB'], { env })).code, 0);
  const zips = await vaultZips(vault);
  // Every other zip rotten: repair stores their pictures again from the originals still in place.
  const rotten = zips.filter((_, i) => i % 2 === 0);
  const bytes = new Map<string, Buffer>();
  for (const z of rotten) {
    await flipByteInEntry(z);
    bytes.set(path.basename(z), await readFile(z));
  }
  return { root, src, vault, original, bytes };
}

test('repair killed with SIGKILL at many moments: no half-written zip, every damaged zip kept, the rerun finishes, the vault verifies and restores', { timeout: 600_000 }, async (t) => {
  const { root, src, vault, original, bytes } = await damagedVault();
  const probe = path.join(root, 'probe');
  await cp(vault, probe, { recursive: true });
  const started = Date.now();
  assert.equal((await picvault(['repair', '--vault', probe], { env })).code, 0);
  const full = Date.now() - started;

  const kills: (number | null)[] = [];
  for (let i = 0; i < 8; i++) {
    const code = await killedAfter(['repair', '--vault', vault, '--quiet'], Math.round(150 + ((full - 150) * (i + Math.random())) / 8));
    kills.push(code);
    await assertNoHalfZip(vault, `kill ${i}`, bytes);
    // A damaged zip is in archives/ or in damaged/, never lost.
    for (const [name, b] of bytes) {
      const here = (await vaultZips(vault)).find((z) => path.basename(z) === name);
      const aside = path.join(vault, 'damaged', name);
      assert.deepEqual(await readFile(here ?? aside), b, `kill ${i}: ${name} kept`);
    }
    assert.deepEqual(await snapshot(src), original, 'repair never touches the originals');
    if (code === 0) break;
  }
  t.diagnostic(`repair of ${bytes.size} damaged zips, uninterrupted ${full} ms; runs: ${labels(kills)}`);
  const last = await picvault(['repair', '--vault', vault], { env });
  assert.equal(last.code, 0, last.stderr);
  assert.deepEqual(await leftovers(vault), []);
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back])).code, 0);
  for (const [rel, f] of original) assert.deepEqual(await readFile(path.join(back, 'pc', path.relative('/', path.join(src, rel)))), f.bytes, rel);
});

test('reindex killed with SIGKILL at many moments: the catalogue is the old one or the new one, never less; the rerun leaves no leftovers', { timeout: 600_000 }, async (t) => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 48, ['2023-11', '2023-12', '2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault, '--max-archive-size', '24KB'], { env })).code, 0);
  const list = async () => (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.split('\n').filter(Boolean).map((l) => {
    const r = JSON.parse(l);
    return `${r.device} ${r.path} ${r.hash} ${r.month}`;
  }).sort();
  const places = await list();
  assert.equal(places.length, 48);
  const started = Date.now();
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0);
  const full = Date.now() - started;

  const kills: (number | null)[] = [];
  let killedMidway = false;
  for (let i = 0; i < 8; i++) {
    // From the moment the new catalogue is begun: reading the zips, carrying the old, the swap.
    const code = await killedAfterAppears(['reindex', '--vault', vault, '--quiet'], path.join(vault, 'picvault.db.rebuild'), Math.round((full / 2) * ((i + Math.random()) / 8)));
    kills.push(code);
    assert.deepEqual(await list(), places, `kill ${i}: every place known`);
    if (code !== 0) killedMidway ||= (await leftovers(vault)).length > 0;
  }
  assert.ok(killedMidway || kills.every((k) => k === 0), 'some kill landed while the new catalogue was being built');
  t.diagnostic(`reindex uninterrupted ${full} ms; runs: ${labels(kills)}`);
  // The next writing run removes what a killed reindex was building, as does the next reindex.
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  assert.deepEqual(await leftovers(vault), []);
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0);
  assert.deepEqual(await leftovers(vault), []);
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
});
