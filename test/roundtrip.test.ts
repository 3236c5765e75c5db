import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, stat, readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { restore } from '../src/core/restore.js';
import { targetUnder } from '../src/core/restore-target.js';
import { buildTree, snapshot, writeImage } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';
import { CORPUS, listAll, vaultZips } from './helpers/vault.js';
import { allZipToolsAccept } from './helpers/zip-tools.js';

const DEVICE = 'laptop';

/** The corpus's real images (and its broken and misnamed files), copied into a source with one date. */
async function corpusSource(dir: string): Promise<string[]> {
  const copied: string[] = [];
  const walk = async (from: string, to: string) => {
    for (const e of await readdir(from, { withFileTypes: true })) {
      if (e.name.startsWith('_') || e.name === 'SHA256SUMS' || e.name.endsWith('.md')) continue;
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isDirectory()) await walk(src, dst);
      else {
        await import('node:fs/promises').then((fs) => fs.mkdir(to, { recursive: true }));
        await copyFile(src, dst);
        const when = new Date(2023, 10, 5, 12);
        await utimes(dst, when, when);
        copied.push(dst);
      }
    }
  };
  await walk(CORPUS, dir);
  return copied;
}

test('archive then restore by month and by hash prefix gives back the same bytes and times', async () => {
  const root = await tempDir();
  const src = path.join(root, 'photos');
  await buildTree(src, 24, ['2024-03', '2024-04', '2024-05', '2024-07']);
  await corpusSource(path.join(src, 'corpus'));
  const before = await snapshot(src);
  const vault = path.join(root, 'vault');

  const result = await archive({ vault, sources: [src], selection: { before: '2024-06' + '-01' }, device: DEVICE });
  assert.equal(result.skipped.length, 0, JSON.stringify(result.skipped));
  assert.ok(result.archives.length >= 4);
  // The originals are never touched by archive.
  assert.deepEqual(await snapshot(src), before);
  // Nothing dated on or after the cutoff was archived.
  const listed = await listAll(vault, {});
  assert.ok(listed.every((r) => r.taken < '2024-06-01'));
  assert.ok(!listed.some((r) => r.month === '2024-07'));
  // Every zip is whole for the tools a user has.
  for (const zip of await vaultZips(vault)) await allZipToolsAccept(zip);

  const back = path.join(root, 'back');
  const byMonth = await restore({ vault, selection: { month: '2024-04' }, to: back });
  assert.ok(byMonth.restored > 0);
  assert.equal(byMonth.skipped.length, 0);
  for (const item of byMonth.items) {
    const target = targetUnder(back, DEVICE, item.from)!;
    const orig = before.get(path.relative(src, item.from))!;
    assert.deepEqual(await readFile(target), orig.bytes, item.from);
    assert.ok(Math.abs((await stat(target)).mtimeMs - orig.mtimeMs) < 1, `mtime of ${target}`);
  }

  // A corpus photo (dated by its EXIF) by a 6-digit prefix of its hash.
  const flower = listed.find((r) => r.path.endsWith('Canon_40D.jpg'))!;
  assert.equal(flower.month, '2008-05');
  assert.equal(flower.dateRule, 'exif');
  const back2 = path.join(root, 'back2');
  const byHash = await restore({ vault, selection: { hashes: [flower.hash.slice(0, 6)] }, to: back2 });
  assert.equal(byHash.restored, 1);
  const target = targetUnder(back2, DEVICE, flower.path)!;
  assert.deepEqual(await readFile(target), await readFile(flower.path));
  assert.ok(Math.abs((await stat(target)).mtimeMs - flower.mtimeMs) < 1);
});

test('restore to the original place brings back a deleted file and leaves an identical one alone', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, 6, ['2024-01']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: DEVICE });
  const original = await readFile(files[2]);
  const { rm } = await import('node:fs/promises');
  await rm(files[2]);
  const r = await restore({ vault, selection: { month: '2024-01' }, device: DEVICE });
  assert.equal(r.restored, 1);
  assert.equal(r.already, 5);
  assert.deepEqual(await readFile(files[2]), original);

  // Files archived from another device are not written to this one's paths without --to.
  const other = await restore({ vault, selection: { month: '2024-01' }, device: 'phone' });
  assert.equal(other.restored, 0);
  assert.ok(other.skipped.every((s) => s.skip === 'other-device'));
});

test('the corpus goes through scan and archive without a crash; non-images are left out', async () => {
  const root = await tempDir();
  const src = path.join(root, 'corpus');
  const copied = await corpusSource(src);
  const vault = path.join(root, 'vault');
  const r = await archive({ vault, sources: [src], device: DEVICE });
  assert.equal(r.skipped.length, 0);
  const listed = await listAll(vault, {});
  const paths = new Set(listed.map((l) => path.relative(src, l.path)));
  assert.ok(!paths.has(path.join('file-type', 'fixture', 'fixture-json.webp')), 'a JSON file named .webp is not an image');
  assert.ok(paths.has(path.join('wechat-dat2picture', 'sample', 'color.jpg')));
  assert.ok(listed.length >= copied.length - 5, `${listed.length} of ${copied.length}`);
  // The EXIF date in 2099 is not trusted; the 2026-11-24 camera date is in the future for a file dated by time.
  const future = listed.find((l) => l.path.endsWith('exif_gps.jpg'))!;
  assert.equal(future.exifDate, '2099-09-29 10:10:10');
  assert.equal(future.dateRule, 'file-time');
  assert.equal(future.month, '2023-11');
  // Byte-identical duplicates in the corpus are stored once.
  const flower = listed.filter((l) => l.path.endsWith('flower.jpg') || l.path.endsWith('Canon_PowerShot_S40.jpg'));
  assert.equal(flower.length, 2);
  assert.equal(flower[0].hash, flower[1].hash);
});

test('a restore too large to plan in memory spools by archive and writes the same files', async () => {
  const root = await tempDir();
  const src = path.join(root, 'photos');
  const files = await buildTree(src, 30, ['2023-02', '2024-03', '2024-04']);
  // Five images seen in four chats each: their places are taken from the spool a few at a time
  // (spoolLimit 4), so some images' places fall in two chunks.
  for (const file of files.slice(0, 5)) {
    const { mtime } = await stat(file);
    for (const chat of ['chat7', 'chat8', 'chat9']) {
      const copy = path.join(src, chat, path.basename(file));
      await mkdir(path.dirname(copy), { recursive: true });
      await copyFile(file, copy);
      await utimes(copy, mtime, mtime);
    }
  }
  const before = await snapshot(src);
  assert.equal(before.size, 45);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: DEVICE });

  const held = await restore({ vault, to: path.join(root, 'held') });
  const spooled = await restore({ vault, to: path.join(root, 'spooled'), spoolLimit: 4, items: false });
  assert.equal(spooled.selected, 45);
  assert.equal(spooled.restored, 45);
  assert.deepEqual(spooled.items, [], 'items: false keeps counts only');
  assert.deepEqual([spooled.restored, spooled.bytes, spooled.skipped.length], [held.restored, held.bytes, held.skipped.length]);
  for (const [rel, orig] of before) {
    const target = targetUnder(path.join(root, 'spooled'), DEVICE, path.join(src, rel))!;
    assert.deepEqual(await readFile(target), orig.bytes, rel);
    assert.ok(Math.abs((await stat(target)).mtimeMs - orig.mtimeMs) < 1, `mtime of ${target}`);
  }

  // Run again over what is now there: every place is already in place, spooled or not.
  const again = await restore({ vault, to: path.join(root, 'spooled'), spoolLimit: 4 });
  assert.deepEqual([again.restored, again.already, again.items.length], [0, 45, 45]);
});

test('under --to, a path archived in two versions gives both back, the second with its hash in the name, held or spooled', async () => {
  const root = await tempDir();
  const src = path.join(root, 'photos');
  const files = await buildTree(src, 12, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: DEVICE });
  // Three files change: the next archive catalogues a second version of each path.
  const changed = files.slice(0, 3);
  const second = new Map<string, Buffer>();
  for (const [i, f] of changed.entries()) second.set(f, await writeImage(f, 1000 + i, '2024-03-05'));
  await archive({ vault, sources: [src], device: DEVICE });

  for (const [name, spoolLimit] of [['held', undefined], ['spooled', 2]] as const) {
    const dest = path.join(root, name);
    const r = await restore({ vault, to: dest, spoolLimit });
    assert.deepEqual([r.restored, r.skipped.length], [15, 0], name);
    for (const f of changed) {
      const target = targetUnder(dest, DEVICE, f)!;
      const ext = path.extname(target);
      const base = path.basename(target, ext);
      const siblings = (await readdir(path.dirname(target))).filter((n) => n === `${base}${ext}` || new RegExp(`^${base}~[0-9a-f]{8}\\${ext}$`).test(n));
      assert.equal(siblings.length, 2, `${name}: ${siblings.join(', ')}`);
      const versions = await Promise.all(siblings.map((n) => readFile(path.join(path.dirname(target), n))));
      assert.ok(versions.some((b) => b.equals(second.get(f)!)), `${name}: the new version of ${f}`);
      assert.ok(siblings.includes(path.basename(target)), `${name}: one keeps the name`);
    }
  }
});
