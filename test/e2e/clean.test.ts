import assert from 'node:assert/strict';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { executeClean } from '../../src/core/clean.js';
import { planClean } from '../../src/core/clean-plan.js';
import { writeContactSheet } from '../../src/core/preview.js';
import { encodeDat3 } from '../../src/media/dat.js';
import { buildTree, sampleImage, snapshot, writeImage } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const env = { PICVAULT_DEVICE: 'pc' };

async function archived(n = 12) {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, n, ['2024-03', '2024-04', '2024-07']);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault, '--before', '2024-06'], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault, files };
}

test('archive → clean → restore a month: the cleaned files come back identical with their times; later files untouched', async () => {
  const { root, src, vault } = await archived();
  const before = await snapshot(src);
  const r = await picvault(['clean', src, '--vault', vault, '--before', '2024-06', '--yes'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /8 files deleted/);
  const after = await snapshot(src);
  for (const [rel, f] of before) {
    const july = rel.includes(`img`) && f.mtimeMs >= new Date(2024, 5, 1).getTime();
    if (july) assert.deepEqual(after.get(rel), f, `${rel} dated after the cutoff is untouched`);
    else assert.equal(after.has(rel), false, `${rel} was cleaned`);
  }
  const list = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(list.every((l) => l.state === 'cleaned'));

  const back = await picvault(['restore', '--from', vault, '--month', '2024-04'], { env });
  assert.equal(back.code, 0, back.stderr);
  const restored = await snapshot(src);
  let count = 0;
  for (const [rel, f] of before) {
    if (new Date(f.mtimeMs).getMonth() !== 3) continue;
    count++;
    assert.deepEqual(restored.get(rel)?.bytes, f.bytes, rel);
    assert.ok(Math.abs(restored.get(rel)!.mtimeMs - f.mtimeMs) < 1);
  }
  assert.equal(count, 4);
  const states = (await picvault(['catalog', 'list', '--vault', vault, '--json', '--month', '2024-04'])).stdout.trim().split('\n').map((l) => JSON.parse(l).state);
  assert.deepEqual(states, ['restored', 'restored', 'restored', 'restored']);
  const log = (await picvault(['catalog', 'log', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(log.map((r) => [r.command, r.files, r.outcome]), [['archive', 8, 'done'], ['clean', 8, 'done'], ['restore', 4, 'done']]);
  assert.equal(log[1].selection.before, '2024-06-01');
  void root;
});

test('a file modified after archiving, and one replaced by a different image of the same size and time, stay: exit 3', async () => {
  const { src, vault, files } = await archived();
  await writeImage(files[0], 500, '2024-03-02');
  // Same size, same modification time, different bytes: only the re-hash before delete can tell.
  const victim = files[1];
  const st = await stat(victim);
  const bytes = await readFile(victim);
  bytes[bytes.length - 3] ^= 0x55;
  await writeFile(victim, bytes);
  await utimes(victim, st.atime, st.mtime);
  const r = await picvault(['clean', src, '--vault', vault, '--before', '2024-06', '--yes'], { env });
  assert.equal(r.code, 3, r.stderr);
  assert.ok(r.stderr.includes(files[0]) && r.stderr.includes(victim), r.stderr);
  assert.deepEqual(await readFile(victim), bytes);
  assert.ok(await stat(files[0]));
  assert.match(r.stdout, /6 files deleted/);
});

test('--dry-run changes nothing (tree and catalogue); off a terminal without --yes: exit 2, nothing deleted', async () => {
  const { root, src, vault } = await archived();
  const before = await snapshot(root);
  const dry = await picvault(['clean', src, '--vault', vault, '--before', '2024-06', '--dry-run', '--list'], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /8 files can go/);
  assert.equal((dry.stdout.match(/^ {2}delete: /gm) ?? []).length, 8, '--list lists every file that would be deleted');
  assert.deepEqual(await snapshot(root), before);
  const noYes = await picvault(['clean', src, '--vault', vault, '--before', '2024-06'], { env });
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /add --yes/);
  assert.deepEqual(await snapshot(root), before);
  const archiveClean = await picvault(['archive', src, '--to', vault, '--before', '2024-06', '--clean'], { env });
  assert.equal(archiveClean.code, 2);
  assert.deepEqual(await snapshot(src), new Map([...before].filter(([k]) => k.startsWith('cache')).map(([k, v]) => [path.relative('cache', k), v])));
});

test('protected files (nt_db, *.db, Msg) inside a source survive archive --clean of everything', async () => {
  const root = await tempDir();
  const src = path.join(root, 'Tencent Files', '12345');
  await buildTree(path.join(src, 'Image'), 6, ['2024-01']);
  const jpeg = await sampleImage(3, 'jpeg');
  const protectedFiles = [
    path.join(src, 'nt_qq', 'nt_db', 'nt_msg.db'),
    path.join(src, 'nt_qq', 'nt_db', 'picture.jpg'),
    path.join(src, 'Msg', 'MicroMsg.db'),
    path.join(src, 'Msg', 'avatar.jpg'),
    path.join(src, 'Image', 'cache.db'),
    path.join(src, 'Image', 'cache.db-wal'),
    path.join(src, 'mmkv', 'thumb.jpg'),
  ];
  for (const f of protectedFiles) {
    await mkdir(path.dirname(f), { recursive: true });
    await writeFile(f, f.endsWith('.jpg') ? jpeg : 'SQLite format 3\u0000');
  }
  const before = await snapshot(src);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault, '--clean', '--yes'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /6 files deleted/);
  const after = await snapshot(src);
  for (const f of protectedFiles) assert.deepEqual(after.get(path.relative(src, f)), before.get(path.relative(src, f)), f);
  assert.equal(after.size, protectedFiles.length);
  // Emptied folders go, up to but never including the source root.
  assert.equal(await stat(path.join(src, 'Image', 'chat0')).catch(() => null), null);
  assert.ok(await stat(src));
});

test('the preview is a PNG sharp reads, showing the sampled images with their months', async () => {
  const root = await tempDir();
  const colours = [[220, 30, 30], [30, 200, 40], [40, 60, 230]];
  const files = [];
  for (const [i, [r, g, b]] of colours.entries()) {
    const png = await sharp({ create: { width: 50, height: 30, channels: 3, background: { r, g, b } } }).png().toBuffer();
    // The last one is a WeChat .dat: the sheet shows the picture inside it.
    const p = path.join(root, i === 2 ? `c${i}.dat` : `c${i}.png`);
    await writeFile(p, i === 2 ? encodeDat3(png, 0x9f) : png);
    files.push({ path: p, month: `2024-0${i + 1}` });
  }
  const out = path.join(root, 'preview.png');
  const preview = await writeContactSheet(files, out);
  const meta = await sharp(out).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(preview.sampled.length, 3);
  // Each tile (in month order) is the colour of its image.
  for (const [i, [r, g, b]] of colours.entries()) {
    const region = await sharp(out).extract({ left: 8 + i * 168 + 40, top: 48, width: 80, height: 80 }).toBuffer();
    const tile = await sharp(region).stats();
    const mean = tile.channels.slice(0, 3).map((c) => c.mean);
    assert.ok(Math.abs(mean[0] - r) < 12 && Math.abs(mean[1] - g) < 12 && Math.abs(mean[2] - b) < 12, `tile ${i}: ${mean}`);
  }
});

test('clean refuses while QQ or WeChat is running, unless forced', async () => {
  const { src, vault } = await archived(4);
  const plan = await planClean({ vault, sources: [src], device: 'pc', selection: { before: '2024-06-01' } });
  assert.equal(plan.remove.size, 3);
  const before = await snapshot(src);
  await assert.rejects(executeClean(plan, { appsRunning: async () => ['WeChat.exe'] }), /clean\.appRunning/);
  assert.deepEqual(await snapshot(src), before);
  const forced = await executeClean(plan, { appsRunning: async () => ['WeChat.exe'], force: true });
  assert.equal(forced.deleted, 3);
  plan.close();
});

test('a plan spilled to disk deletes exactly what a held one would, and keeps what changed before or after planning', async () => {
  const { src, vault, files } = await archived();
  // files 0, 3, 6, 9 are dated 2024-03 and 1, 4, 7, 10 2024-04; 0 and 1 change before the plan.
  await writeImage(files[0], 500, '2024-03-02');
  await writeImage(files[1], 501, '2024-04-02');
  const selection = { before: '2024-06-01' };
  const held = await planClean({ vault, sources: [src], device: 'pc', selection });
  const spilled = await planClean({ vault, sources: [src], device: 'pc', selection, holdLimit: 1 });
  // The walk reads folders concurrently: the same tree can come in another order.
  const all = <T extends { path: string }>(list: { chunks(): Iterable<T[]> }) => [...list.chunks()].flat().sort((a, b) => a.path.localeCompare(b.path));
  try {
    assert.ok(spilled.remove.spilled);
    assert.deepEqual(all(spilled.remove), all(held.remove));
    assert.equal(spilled.remove.size, 6);
    assert.deepEqual(all(spilled.keep), all(held.keep));
    assert.deepEqual(all(spilled.keep).map((k) => [path.basename(k.path), k.reason]), [['img0.jpg', 'changed'], ['img1.png', 'changed']]);
    assert.deepEqual([...spilled.byMonth], [...held.byMonth]);
    assert.deepEqual([spilled.bytes, spilled.sample.length], [held.bytes, 6]);
    const planned = new Set(all(spilled.remove).map((c) => c.path));
    assert.ok(spilled.sample.every((c) => planned.has(c.path)));

    // Changed between the plan and the delete: the re-check keeps it.
    await writeImage(files[4], 502, '2024-04-05');
    const result = await executeClean(spilled);
    assert.equal(result.deleted, 5);
    assert.deepEqual(all(result.kept).map((k) => [path.basename(k.path), k.reason]), [['img0.jpg', 'changed'], ['img1.png', 'changed'], ['img4.jpg', 'changed-since-plan']]);
    assert.deepEqual([...result.kept.byReason], [['changed', 2], ['changed-since-plan', 1]]);
    for (const f of files.slice(0, 12)) {
      const gone = planned.has(f) && f !== files[4];
      assert.equal((await stat(f).catch(() => null)) === null, gone, f);
    }
  } finally {
    held.close();
    spilled.close();
  }
});

test('clean --dry-run --json is one JSON document listing every file that would go and every one that stays', async () => {
  const { src, vault, files } = await archived();
  await writeImage(files[0], 500, '2024-03-02');
  const r = await picvault(['clean', src, '--vault', vault, '--before', '2024-06', '--dry-run', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.dryRun, true);
  assert.deepEqual(doc.files.map((c: { path: string }) => c.path).sort(), [3, 6, 9, 1, 4, 7, 10].map((i) => files[i]).sort());
  assert.deepEqual(doc.kept.map((k: { path: string; reason: string }) => [k.path, k.reason]), [[files[0], 'changed']]);
  assert.equal(doc.bytes, doc.files.reduce((sum: number, c: { size: number }) => sum + c.size, 0));
  assert.ok(await stat(files[3]));

  const done = await picvault(['clean', src, '--vault', vault, '--before', '2024-06', '--yes', '--json'], { env });
  assert.equal(done.code, 3, done.stderr);
  const result = JSON.parse(done.stdout);
  // chat1 held only 2024-04's four files and goes with them; chat0 keeps img0.
  assert.deepEqual([result.deleted, result.bytes, result.removedFolders], [7, doc.bytes, 1]);
  assert.equal(await stat(path.dirname(files[1])).catch(() => null), null);
  assert.deepEqual(result.kept.map((k: { path: string; reason: string }) => [k.path, k.reason]), [[files[0], 'changed']]);
  assert.deepEqual(result.files.map((c: { path: string }) => c.path).sort(), doc.files.map((c: { path: string }) => c.path).sort());
  assert.equal(result.preview, null, 'no preview unless asked or named');
  assert.equal(await stat(files[3]).catch(() => null), null);
});
