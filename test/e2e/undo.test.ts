import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { runKilledWhenGone } from '../helpers/kill.js';
import { tempDir } from '../helpers/tmp.js';
import { replaceWithOldCatalogue } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };
/** clean's preview goes to the test's folder, not the system's temporary one. */
const cleanRun = (src: string, vault: string, ...more: string[]) =>
  picvault(['clean', src, '--vault', vault, '--yes', '--preview', path.join(path.dirname(vault), `preview-${more.join('')}.png`), ...more], { env });
const log = async (vault: string) =>
  (await picvault(['catalog', 'log', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; command: string; files: number; outcome: string });

/** A cache archived whole: 12 images over three months. */
async function archivedTree(n = 12) {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, n, ['2024-03', '2024-04', '2024-07']);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault, original: await snapshot(src) };
}

/** Every file of `files` is back in `src` with its bytes and modification time. */
async function assertBack(src: string, files: Map<string, { bytes: Buffer; mtimeMs: number }>, label: string) {
  const now = await snapshot(src);
  for (const [rel, f] of files) {
    assert.deepEqual(now.get(rel)?.bytes, f.bytes, `${label}: ${rel} back, byte for byte`);
    assert.equal(now.get(rel)!.mtimeMs, f.mtimeMs, `${label}: ${rel} back with its date`);
  }
}

test('restore --run undoes one clean run: what it removed comes back byte for byte with its dates, nothing of another run', async () => {
  const { src, vault, original } = await archivedTree();
  assert.equal((await cleanRun(src, vault, '--month', '2024-03')).code, 0);
  const left = await snapshot(src);
  const firstRun = new Map([...original].filter(([rel]) => !left.has(rel)));
  assert.equal(firstRun.size, 4);
  assert.equal((await cleanRun(src, vault)).code, 0);
  assert.equal((await snapshot(src)).size, 0);

  const runs = await log(vault);
  assert.deepEqual(runs.map((r) => [r.command, r.files, r.outcome]), [['archive', 12, 'done'], ['clean', 4, 'done'], ['clean', 8, 'done']]);
  const listed = await picvault(['catalog', 'log', '--vault', vault]);
  assert.match(listed.stdout, new RegExp(`^\\s*${runs[1].id}\\s+\\d{4}-\\d\\d-\\d\\d.*clean`, 'm'), 'catalog log shows each run with its id');

  const undo = await picvault(['restore', '--from', vault, '--run', String(runs[1].id)], { env });
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /4 files restored/);
  await assertBack(src, firstRun, 'first clean undone');
  assert.equal((await snapshot(src)).size, 4, 'nothing the second run removed comes back');

  const all = await picvault(['restore', '--from', vault, '--run', String(runs[2].id)], { env });
  assert.equal(all.code, 0, all.stderr);
  await assertBack(src, original, 'both undone');
  assert.equal((await log(vault)).at(-1)!.command, 'restore');
});

test('restore --run refuses a run that removed nothing (archive), one not in the log, and a malformed id: exit 2', async () => {
  const { vault } = await archivedTree(3);
  const archiveRun = (await log(vault))[0].id;
  for (const [id, pattern] of [[String(archiveRun), /was a archive|only a clean or dedupe/], ['99', /no run 99/], ['abc', /run id/]] as const) {
    const r = await picvault(['restore', '--from', vault, '--run', id], { env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('a clean killed between deletions is in the log as interrupted, and restore --run brings back everything it removed', { timeout: 300_000 }, async () => {
  const { src, vault, original } = await archivedTree(40);
  const watched = path.join(src, [...original.keys()].sort()[20]);
  await runKilledWhenGone(['clean', src, '--vault', vault, '--yes', '--quiet', '--preview', path.join(path.dirname(vault), 'preview.png')], watched, { ...process.env, LANG: 'en_US.UTF-8', ...env });
  const left = await snapshot(src);
  assert.ok(left.size < original.size, 'the kill landed after some deletes');
  const runs = await log(vault);
  const clean = runs.find((r) => r.command === 'clean')!;
  assert.ok(clean.outcome === 'killed' || (clean.outcome === 'done' && left.size === 0), `${clean.outcome} with ${left.size} left`);
  const undo = await picvault(['restore', '--from', vault, '--run', String(clean.id)], { env });
  assert.equal(undo.code, 0, undo.stderr);
  await assertBack(src, original, 'killed run undone');
});

test('a clean run made by the previous release (no list of what it removed) is undone after the upgrade', async () => {
  const { src, vault, original } = await archivedTree(6);
  assert.equal((await cleanRun(src, vault, '--month', '2024-04')).code, 0);
  const gone = new Map<string, { bytes: Buffer; mtimeMs: number }>();
  const left = await snapshot(src);
  for (const [rel, f] of original) if (!left.has(rel)) gone.set(rel, f);
  assert.equal(gone.size, 2);

  // The catalogue as the release before this one would have left it: migrations 0001-0004, the same rows.
  await replaceWithOldCatalogue(vault, path.join(path.dirname(vault), 'old.db'));
  const dbFile = path.join(vault, 'picvault.db');

  const runs = await log(vault);
  const clean = runs.find((r) => r.command === 'clean')!;
  const undo = await picvault(['restore', '--from', vault, '--run', String(clean.id)], { env });
  assert.equal(undo.code, 0, undo.stderr);
  await assertBack(src, original, 'old clean undone');
  const check = new Database(dbFile, { readonly: true });
  assert.ok((check.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]).includes('0008_dedupe.sql'));
  check.close();
});
