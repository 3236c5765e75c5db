import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { picvault } from '../helpers/cli.js';
import { buildDuplicateTree, corpusPhoto, put } from '../helpers/duplicates.js';
import { snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

const env = { PICVAULT_DEVICE: 'pc' };

/** A cache with every tier, a reference folder holding a copy of one of its photos, and an app database. */
async function setUp() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const tree = await buildDuplicateTree(src);
  const ref = path.join(root, 'Pictures');
  const { photo } = await corpusPhoto();
  await put(path.join(ref, 'car.jpg'), photo, '2023-12-24');
  // WeChat's own database beside its pictures: never read, never removed.
  await put(path.join(src, 'WeChat Files', 'wxid_张三', 'Msg', 'MSG0.db'), Buffer.from('SQLite format 3\u0000'), '2024-01-01');
  return { root, src, ref, tree, vault: path.join(root, 'vault') };
}

test('dedupe --clean archives what the vault lacks, removes the other copies, and restore --run brings them back byte for byte with dates', async () => {
  const { root, src, ref, tree, vault } = await setUp();
  const before = await snapshot(src);
  const refBefore = await snapshot(ref);
  const r = await picvault(['dedupe', src, '--vault', vault, '--against', ref, '--similar', '--clean', '--yes', '--sheet', path.join(root, 'sheet.png')], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /6 copies not yet in the vault archived first/);
  const run = Number(/restore --run (\d+)/.exec(r.stdout)![1]);
  assert.match(r.stdout, /6 copies removed/);

  const after = await snapshot(src);
  const kept = [tree.sticker[0], tree.color.dat9f].map((f) => path.relative(src, f));
  for (const k of kept) assert.deepEqual(after.get(k), before.get(k), `${k}, the copy that stays, is untouched`);
  assert.ok(!after.has(path.relative(src, tree.car.photo)) && !after.has(path.relative(src, tree.car.wechat)), 'both car copies go: the reference folder has the photo');
  assert.deepEqual(await snapshot(ref), refBefore, 'the reference folder is untouched');
  assert.ok(after.has(path.join('WeChat Files', 'wxid_张三', 'Msg', 'MSG0.db')), 'the app database stays');
  for (const f of tree.unrelated) assert.ok(after.has(path.relative(src, f)));
  assert.equal(after.size, before.size - 6);

  // Every removed copy is in a verified archive, catalogued at its place; the run is in the log as dedupe.
  const db = new Database(path.join(vault, 'picvault.db'), { readonly: true });
  const missing = [...before.keys()].filter((k) => !after.has(k));
  for (const rel of missing) {
    const row = db.prepare(`SELECT a.verified_at FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id WHERE l.path = ? AND l.cleaned_at IS NOT NULL`).get(path.join(src, rel)) as { verified_at: string } | undefined;
    assert.ok(row?.verified_at, `${rel} is in a verified archive`);
  }
  assert.equal(db.prepare('SELECT command FROM runs WHERE id = ?').pluck().get(run), 'dedupe');
  db.close();
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);

  const undo = await picvault(['restore', '--from', vault, '--run', String(run)], { env });
  assert.equal(undo.code, 0, undo.stderr);
  assert.deepEqual(await snapshot(src), before, 'every removed copy is back, byte for byte, with its date');
});

test('dedupe --clean --dry-run says what it would archive and remove and changes nothing; without --similar, similar copies stay', async () => {
  const { root, src, tree, vault } = await setUp();
  assert.equal((await picvault(['archive', path.join(src, 'folder'), '--to', vault], { env })).code, 0);
  const before = await snapshot(root);
  const dry = await picvault(['dedupe', src, '--vault', vault, '--clean', '--dry-run'], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would archive 2 copies not yet in the vault, then remove 4 copies/);
  const json = JSON.parse((await picvault(['dedupe', src, '--vault', vault, '--clean', '--dry-run', '--json'], { env })).stdout);
  assert.deepEqual(json.clean, { dryRun: true, archived: 2, deleted: 4, bytes: json.freed.bytes, runId: null, kept: [] });
  assert.deepEqual(await snapshot(root), before);

  const real = await picvault(['dedupe', src, '--vault', vault, '--clean', '--yes', '--json'], { env });
  assert.equal(real.code, 0, real.stderr);
  const done = JSON.parse(real.stdout);
  assert.deepEqual(Object.keys(done.clean).sort(), Object.keys(json.clean).sort(), 'the same fields in a dry run and a real one');
  assert.equal(done.clean.deleted, 4);
  const after = await snapshot(src);
  assert.ok(after.has(path.relative(src, tree.car.photo)) && after.has(path.relative(src, tree.car.wechat)), 'similar copies are acted on only with --similar');
});

test('a copy that changed after dedupe looked is not removed, and neither are the copies whose kept one went', async () => {
  const { src, tree, vault } = await setUp();
  // A first pass archives everything; a copy then changes and the kept copy of another group goes.
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  const { findDuplicates } = await import('../../src/core/dedupe.js');
  const { planDedupeClean } = await import('../../src/core/dedupe/clean.js');
  const { executeClean } = await import('../../src/core/clean.js');
  const report = await findDuplicates({ sources: [src], vault, device: 'pc' });
  const stickerGroup = report.groups.find((g) => g.tier === 'identical')!;
  const colorGroup = report.groups.find((g) => g.tier === 'same-picture')!;
  const { rm, appendFile } = await import('node:fs/promises');
  await rm(colorGroup.members[0].path);
  await appendFile(stickerGroup.members[1].path, Buffer.from([0]));
  const { plan } = await planDedupeClean(report, {});
  try {
    const result = await executeClean(plan, { command: 'dedupe' });
    assert.equal(result.deleted, 0);
    assert.deepEqual([...result.kept.byReason].sort(), [['changed', 1], ['kept-copy-changed', 3]]);
  } finally {
    plan.close();
  }
  void tree;
});

test('reindex keeps the "not duplicates" marks and what each run removed: marks still honoured, restore --run still undoes', async () => {
  const { root, src, tree, vault } = await setUp();
  const r = await picvault(['dedupe', src, '--vault', vault, '--clean', '--yes'], { env });
  assert.equal(r.code, 0, r.stderr);
  const run = /restore --run (\d+)/.exec(r.stdout)![1];
  const car = JSON.parse((await picvault(['dedupe', src, '--vault', vault, '--similar', '--json'], { env })).stdout).groups.find((g: { tier: string }) => g.tier === 'similar');
  const [a, b] = car.members.map((m: { picture: string }) => m.picture);
  assert.equal((await picvault(['dedupe', '--vault', vault, '--not-duplicate', a, b], { env })).code, 0);

  const reindexed = await picvault(['reindex', '--vault', vault, '--json']);
  assert.equal(reindexed.code, 0, reindexed.stderr);
  assert.deepEqual(JSON.parse(reindexed.stdout).dedupe, { marks: 1, keeps: 0, removals: 4 });
  const after = JSON.parse((await picvault(['dedupe', src, '--vault', vault, '--similar', '--json'], { env })).stdout);
  assert.deepEqual([after.groups.filter((g: { tier: string }) => g.tier === 'similar').length, after.marksHonoured], [0, 1]);
  const undo = await picvault(['restore', '--from', vault, '--run', run], { env });
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /4 files restored/);
  void root;
  void tree;
});

test('a vault whose making was cut short (its catalogue an empty file, nothing archived yet): dedupe --clean makes it and goes on', async () => {
  const { src, tree, vault } = await setUp();
  // What a run killed as it created the catalogue leaves: the file, empty.
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(vault);
  await writeFile(path.join(vault, 'picvault.db'), '');
  const r = await picvault(['dedupe', src, '--vault', vault, '--clean', '--yes'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /4 copies removed/);
  assert.ok(!(await snapshot(src)).has(path.relative(src, tree.sticker[1])));
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
});
