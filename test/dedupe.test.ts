import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { ArchivePlanner, type HashedFile } from '../src/core/archive-plan.js';
import { catalogDevices, catalogMonths, catalogShow } from '../src/core/catalog.js';
import { restore } from '../src/core/restore.js';
import { targetUnder } from '../src/core/restore-target.js';
import { buildTree, snapshot, writeImage } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';
import { listAll, vaultZips } from './helpers/vault.js';
import { ZipReader } from '../src/vault/zip-reader.js';
import { allZipToolsAccept } from './helpers/zip-tools.js';

test('the same image in two folders and from two devices is stored once; every place is catalogued', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const a = path.join(src, 'chat-a', 'sticker.gif');
  await writeImage(a, 7, '2023-11-04', 'gif');
  // The same sticker, received ten months later in another chat.
  const b = path.join(src, 'chat-b', 'forwarded.gif');
  await mkdir(path.dirname(b), { recursive: true });
  await copyFile(a, b);
  await utimes(b, new Date(2024, 8, 9, 12), new Date(2024, 8, 9, 12));
  await buildTree(path.join(src, 'other'), 5, ['2024-01']);
  const vault = path.join(root, 'vault');

  const first = await archive({ vault, sources: [src], device: 'laptop' });
  assert.equal(first.plan.newImages, 6);
  assert.equal(first.plan.duplicates, 1);

  // The same tree on a second device: nothing new is stored, every place is recorded.
  const phoneCopy = path.join(root, 'phone-cache');
  await cp(src, phoneCopy, { recursive: true, preserveTimestamps: true });
  const second = await archive({ vault, sources: [phoneCopy], device: 'phone' });
  assert.equal(second.plan.newImages, 0);
  assert.equal(second.plan.duplicates, 7);

  let stored = 0;
  for (const zip of await vaultZips(vault)) stored += [...(await ZipReader.open(zip)).entries.keys()].filter((n) => !n.startsWith('picvault-')).length;
  assert.equal(stored, 6, 'each distinct image is one entry in the whole vault');

  const { months, totals } = await catalogMonths(vault);
  assert.equal(totals.images, 6);
  assert.equal(totals.locations, 14);
  // The sticker's date belongs to each place: it is in both months.
  assert.ok(months.find((m) => m.month === '2023-11'));
  assert.ok(months.find((m) => m.month === '2024-09'));

  const [sticker] = await listAll(vault, { month: '2023-11' });
  const list = await catalogShow(vault, sticker.hash.slice(0, 8));
  assert.equal(list.locations.length, 4);
  assert.deepEqual(new Set(list.locations.map((l) => l.device)), new Set(['laptop', 'phone']));
  assert.deepEqual(new Set(list.locations.map((l) => l.month)), new Set(['2023-11', '2024-09']));
  assert.deepEqual((await catalogDevices(vault)).map((d) => [d.device, d.files]), [['laptop', 7], ['phone', 7]]);
});

test('a re-run over unchanged files reads none of them; a changed file is archived again', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, 8, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  const zipsBefore = await vaultZips(vault);

  const again = await archive({ vault, sources: [src], device: 'pc' });
  assert.equal(again.unchanged, 8);
  assert.equal(again.plan.months.length, 0, 'nothing to hash, nothing to write');
  assert.deepEqual(await vaultZips(vault), zipsBefore);

  await writeImage(files[0], 999, '2024-01-20');
  const changed = await archive({ vault, sources: [src], device: 'pc' });
  assert.equal(changed.unchanged, 7);
  assert.equal(changed.plan.newImages, 1);
});

test('a cache too large to hold in memory is spooled to disk by month: the same vault, the same catalogue', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 30, ['2023-05', '2024-01', '2024-02']);
  // Duplicates across months, so the spooled run must also store each image once, in its first month.
  await cp(path.join(src), path.join(root, 'cache-copy'), { recursive: true });
  const sources = [src, path.join(root, 'cache-copy')];

  const held = await archive({ vault: path.join(root, 'held'), sources, device: 'pc' });
  const spooled = await archive({ vault: path.join(root, 'spooled'), sources, device: 'pc', spoolLimit: 7 });
  assert.equal(spooled.selected, 60);
  assert.deepEqual(spooled.plan, held.plan);
  assert.deepEqual(spooled.archives.map((a) => [a.month, a.images, a.locations]), held.archives.map((a) => [a.month, a.images, a.locations]));
  const rows = async (vault: string) =>
    (await listAll(vault, {})).map((r) => JSON.stringify([r.path, r.hash, r.size, r.month, r.taken, r.entry, r.archive.split('/')[2], r.state])).sort();
  assert.deepEqual(await rows(path.join(root, 'spooled')), await rows(path.join(root, 'held')));

  const again = await archive({ vault: path.join(root, 'spooled'), sources, device: 'pc', spoolLimit: 7 });
  assert.equal(again.unchanged, 60, 'a re-run reads nothing it already hashed');
});

test('a month larger than a slice is written in zips of a slice each, each image stored once, all restorable', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  // One month only, as a cache copied to a new disk can be: 12 images, each also in another chat.
  const files = await buildTree(src, 12, ['2024-03']);
  for (const f of files) await cp(f, path.join(src, 'forwarded', path.basename(f)), { preserveTimestamps: true });
  const before = await snapshot(src);
  const vault = path.join(root, 'vault');

  const r = await archive({ vault, sources: [src], device: 'pc', monthSlice: 5 });
  assert.equal(r.skipped.length, 0, JSON.stringify(r.skipped));
  assert.deepEqual(r.plan.months.map((m) => [m.month, m.files, m.newImages]), [['2024-03', 24, 12]], 'one month in the report');
  assert.equal(r.archives.length, 5, '24 places in slices of 5');
  assert.ok(r.archives.every((a) => a.month === '2024-03' && a.locations <= 5), JSON.stringify(r.archives));
  assert.equal(r.archives.reduce((n, a) => n + a.images, 0), 12, 'an image a later slice meets again is not stored again');
  let stored = 0;
  for (const zip of await vaultZips(vault)) {
    await allZipToolsAccept(zip);
    stored += [...(await ZipReader.open(zip)).entries.keys()].filter((n) => !n.startsWith('picvault-')).length;
  }
  assert.equal(stored, 12);
  assert.deepEqual([(await catalogMonths(vault)).totals.images, (await listAll(vault)).length], [12, 24]);

  const back = path.join(root, 'back');
  const restored = await restore({ vault, to: back });
  assert.equal(restored.restored, 24);
  for (const [rel, orig] of before) {
    const target = targetUnder(back, 'pc', path.join(src, rel))!;
    assert.deepEqual(await readFile(target), orig.bytes, rel);
    assert.ok(Math.abs((await stat(target)).mtimeMs - orig.mtimeMs) < 1, `mtime of ${rel}`);
  }
  assert.equal((await archive({ vault, sources: [src], device: 'pc', monthSlice: 5 })).unchanged, 24);
});

test('the planner forgets a slice\'s images once they are catalogued, and still stores each once', () => {
  const catalogued = new Set<string>();
  const planner = new ArchivePlanner((hs) => new Set(hs.filter((h) => catalogued.has(h))), 'pc');
  const file = (hash: string, n: number): HashedFile => ({
    hash, ext: 'jpg', path: `/cache/chat${n}/${hash}.jpg`, root: '/cache', size: 10, mtimeMs: 0, birthtimeMs: 0,
    source: 'folder', kind: 'original', taken: '2024-03-01 12:00:00', month: '2024-03', dateRule: 'file-time', exifDate: null, decodedExt: null,
  } as HashedFile);
  const first = planner.planMonth('2024-03', [file('aa', 1), file('bb', 1), file('aa', 2)]);
  assert.deepEqual(first.newImages.map((i) => [i.hash, i.from.length]), [['aa', 2], ['bb', 1]]);
  // Planned before the first slice is catalogued: its images are claimed, not stored again.
  const second = planner.planMonth('2024-03', [file('aa', 3), file('cc', 3)]);
  assert.deepEqual(second.newImages.map((i) => i.hash), ['cc']);
  assert.equal(planner.pending, 3);
  for (const h of ['aa', 'bb']) catalogued.add(h);
  planner.release(['aa', 'bb']);
  assert.equal(planner.pending, 1, 'only the slice in flight is held');
  const third = planner.planMonth('2024-03', [file('aa', 4), file('bb', 4), file('dd', 4)]);
  assert.deepEqual(third.newImages.map((i) => i.hash), ['dd'], 'the catalogue answers for released images');
  assert.equal(third.locations.length, 3);
});
