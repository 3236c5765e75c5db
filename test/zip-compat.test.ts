import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { restore } from '../src/core/restore.js';
import { checkZip } from '../src/vault/check-zip.js';
import { ZipWriter } from '../src/vault/zip-writer.js';
import { ZipReader } from '../src/vault/zip-reader.js';
import { verify } from '../src/core/verify.js';
import { buildTree, snapshot } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';
import { vaultZips } from './helpers/vault.js';
import { allZipToolsAccept, pythonZipTest } from './helpers/zip-tools.js';

test('a zip with more than 65 535 entries is ZIP64 and every tool reads it', { timeout: 300_000 }, async () => {
  const dir = await tempDir();
  const zip = path.join(dir, 'big.zip');
  const w = await ZipWriter.create(zip);
  const n = 65_600;
  for (let i = 0; i < n; i++) await w.add(`${String(i).padStart(16, '0')}.bin`, Buffer.from(`entry ${i}`), new Date(2024, 0, 1));
  await w.finish();
  await allZipToolsAccept(zip);
  assert.equal((await pythonZipTest(zip)).count, n);
  const reader = await ZipReader.open(zip);
  assert.equal(reader.entries.size, n);
  assert.equal((await reader.readEntry(`${String(n - 1).padStart(16, '0')}.bin`)).toString(), `entry ${n - 1}`);
});

test('archives forced to ZIP64 and split into parts pass unzip -t, 7z t and zipfile, and verify', async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  await buildTree(src, 30, ['2024-02']);
  const vault = path.join(root, 'vault');
  const r = await archive({ vault, sources: [src], device: 'pc', maxArchiveSize: 40 * 1024, forceZip64: true });
  assert.ok(r.archives.length >= 2, `a month past --max-archive-size is split (${r.archives.length} parts)`);
  for (const a of r.archives) assert.ok(a.bytes <= 48 * 1024, `${a.name} is ${a.bytes} bytes`);
  for (const zip of await vaultZips(vault)) {
    await allZipToolsAccept(zip);
    const check = await checkZip(zip, { readData: true, expectedXxh64: path.basename(zip, '.zip').split('_')[1] });
    assert.deepEqual(check.damage, []);
  }
  assert.equal((await verify({ vault, readData: true })).damaged.length, 0);
});

test('concurrent entry reads share one file handle, and close() releases it', { skip: process.platform !== 'linux' && 'counts /proc/self/fd' }, async () => {
  const { readdir, readlink } = await import('node:fs/promises');
  const dir = await tempDir();
  const zip = path.join(dir, 'many.zip');
  const w = await ZipWriter.create(zip);
  for (let i = 0; i < 40; i++) await w.add(`${i}.bin`, Buffer.alloc(1000 + i, i), new Date(2024, 0, 1));
  await w.finish();
  // Handles on this zip only: other tests' handles closing meanwhile (by the collector) do not count.
  const openFds = async () => {
    const targets = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return targets.filter((t) => t === zip).length;
  };
  const before = await openFds();
  const reader = await ZipReader.open(zip);
  const all = await Promise.all([...reader.entries.keys()].map((n) => reader.readEntry(n)));
  assert.equal(all.length, 40);
  assert.ok(all.every((b) => b.length > 0 && b.equals(Buffer.alloc(b.length, b[0]))), `entry ${all.findIndex((b) => !b.equals(Buffer.alloc(b.length, b[0])))}`);
  assert.ok((await openFds()) <= before + 1, 'one handle for all the reads');
  await reader.close();
  assert.equal(await openFds(), before, 'closed');
});

test('once add() resolves, the entry is in the file: the caller may reuse the memory at once', async () => {
  const dir = await tempDir();
  const zip = path.join(dir, 'reused.zip');
  const w = await ZipWriter.create(zip);
  // The same memory for every entry, as a reader thread reuses its kept buffer for each image it stores.
  const slot = Buffer.from(new SharedArrayBuffer(300_000));
  const sizes = [1, 17, 65_536, 299_999, 4096, 123_457];
  for (const [i, size] of sizes.entries()) {
    slot.fill(i + 1, 0, size);
    await w.add(`${i}.bin`, slot.subarray(0, size), new Date(2024, 0, 1));
    slot.fill(0xee); // overwritten before the next entry, as the next fetch would
  }
  await w.finish();
  await allZipToolsAccept(zip);
  const reader = await ZipReader.open(zip);
  for (const [i, size] of sizes.entries()) {
    assert.ok((await reader.readEntry(`${i}.bin`)).equals(Buffer.alloc(size, i + 1)), `entry ${i} kept its own bytes`);
  }
  await reader.close();
});

test('a vault zip another tool rewrote with its images deflated still restores byte for byte', async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  await buildTree(src, 6, ['2024-03']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  const [zip] = await vaultZips(vault);
  // Same name, same entries, every one deflated (as a zip tool re-packing the folder would).
  execFileSync('python3', ['-c', `
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1]); items = [(i, src.read(i)) for i in src.infolist()]; src.close()
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as out:
    for i, data in items:
        i.compress_type = zipfile.ZIP_DEFLATED; out.writestr(i, data)
`, zip]);
  assert.deepEqual((await pythonZipTest(zip)).methods, [8], 'the images are deflated now');
  const back = path.join(root, 'back');
  const r = await restore({ vault, to: back });
  assert.deepEqual([r.restored, r.skipped.length], [6, 0]);
  const original = await snapshot(src);
  const restored = await snapshot(path.join(back, 'pc'));
  for (const [rel, f] of original) {
    const got = [...restored].find(([k]) => k.endsWith(rel))?.[1];
    assert.ok(got?.bytes.equals(f.bytes), `${rel} byte for byte`);
  }
});
