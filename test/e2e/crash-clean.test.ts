import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { hashBytes } from '../../src/media/hash.js';
import { checkZip } from '../../src/vault/check-zip.js';
import { absArchivePath, parseArchiveName } from '../../src/vault/layout.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { killBetweenDeletes, runKilledAfter } from '../helpers/kill.js';
import { tempDir } from '../helpers/tmp.js';

const env = { ...process.env, LANG: 'en_US.UTF-8', PICVAULT_DEVICE: 'pc' };

/** A chat cache of `distinct` images, each forwarded into `copies` other chats in later months. */
async function chatTree(dir: string, distinct: number, copies: number): Promise<void> {
  const originals = await buildTree(path.join(dir, 'chat-main'), distinct, ['2023-09', '2023-10', '2023-11', '2023-12', '2024-01']);
  for (let c = 1; c <= copies; c++) {
    for (const [i, f] of originals.entries()) {
      const copy = path.join(dir, `group-${c}`, `${i % 7}`, path.basename(f));
      await mkdir(path.dirname(copy), { recursive: true });
      await copyFile(f, copy);
      const when = new Date(2024, (i + c) % 5, 1 + (i % 27), 12);
      await utimes(copy, when, when);
    }
  }
}

test('archive --clean killed with SIGKILL at many moments: every original is in place or restorable from a vault that verifies', { timeout: 900_000 }, async (t) => {
  const root = await tempDir();
  const pristine = path.join(root, 'pristine');
  await chatTree(pristine, 400, 4);
  const original = await snapshot(pristine);
  assert.equal(original.size, 2000);
  const hashOf = new Map<string, string>();
  for (const [rel, f] of original) hashOf.set(rel, await hashBytes(f.bytes));
  const argsFor = (src: string, vault: string) => ['archive', src, '--to', vault, '--clean', '--yes', '--quiet', '--max-archive-size', '256KB'];

  const fresh = async (name: string) => {
    const src = path.join(root, name, 'cache');
    await cp(pristine, src, { recursive: true, preserveTimestamps: true });
    return { src, vault: path.join(root, name, 'vault') };
  };

  const probe = await fresh('probe');
  const started = Date.now();
  assert.equal((await picvault(argsFor(probe.src, probe.vault), { env })).code, 0);
  const full = Date.now() - started;

  /** Each original is on disk with its bytes, or catalogued at its path with its hash in a whole zip. */
  const checkInvariant = async (src: string, vault: string, label: string, goodZips: Set<string>) => {
    const now = await snapshot(src);
    const dbFile = path.join(vault, 'picvault.db');
    const db = await stat(dbFile).then(() => new Database(dbFile, { readonly: true, fileMustExist: true }), () => null);
    try {
      // Killed before the schema existed: nothing can have been deleted.
      if (!db?.prepare("SELECT 1 FROM sqlite_master WHERE name = 'locations'").get()) {
        assert.equal(now.size, original.size, `${label}: no catalogue yet, every original in place`);
        for (const [rel, f] of original) assert.deepEqual(now.get(rel)?.bytes, f.bytes, `${label}: ${rel}`);
        return;
      }
      const where = db?.prepare(
        `SELECT l.hash, a.name FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id
         WHERE l.path = ? AND l.device = 'pc' AND a.verified_at IS NOT NULL`,
      );
      for (const [rel, f] of original) {
        const present = now.get(rel);
        if (present) {
          assert.deepEqual(present.bytes, f.bytes, `${label}: ${rel} unchanged`);
          continue;
        }
        const rows = where!.all(path.join(src, rel)) as { hash: string; name: string }[];
        const row = rows.find((r) => r.hash === hashOf.get(rel));
        assert.ok(row, `${label}: deleted ${rel} is catalogued with its hash in a verified archive`);
        if (!goodZips.has(row.name)) {
          const zip = absArchivePath(vault, row.name);
          const check = await checkZip(zip, { readData: true, expectedXxh64: parseArchiveName(path.basename(zip))!.xxh64 });
          assert.deepEqual(check.damage, [], `${label}: ${row.name} is whole`);
          goodZips.add(row.name);
        }
      }
    } finally {
      db?.close();
    }
  };

  const finishAndRestore = async (src: string, vault: string, label: string, goodZips: Set<string>) => {
    const final = await picvault(argsFor(src, vault), { env });
    assert.equal(final.code, 0, final.stderr);
    assert.equal((await snapshot(src)).size, 0, `${label}: the re-run finishes the clean`);
    await checkInvariant(src, vault, `${label} final`, goodZips);
    const v = await picvault(['verify', '--vault', vault, '--read-data']);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const back = path.join(path.dirname(vault), 'back');
    const r = await picvault(['restore', '--from', vault, '--to', back]);
    assert.equal(r.code, 0, r.stderr);
    for (const [rel, f] of original) {
      assert.deepEqual(await readFile(path.join(back, 'pc', path.relative('/', path.join(src, rel)))), f.bytes, rel);
    }
  };

  // Scenario 1: kills spread over the whole run (scan, hash, zip writing, fsync, commit, clean).
  {
    const { src, vault } = await fresh('timed');
    const goodZips = new Set<string>();
    const kills: string[] = [];
    for (let i = 0; i < 8; i++) {
      const ms = Math.round(200 + ((full - 200) * (i + Math.random())) / 8);
      const code = await runKilledAfter(argsFor(src, vault), ms, env);
      const left = (await snapshot(src)).size;
      kills.push(`${ms}ms→${original.size - left} deleted${code === 0 ? ' (finished)' : ''}`);
      await checkInvariant(src, vault, `timed kill ${i}`, goodZips);
      if (code === 0) break;
    }
    t.diagnostic(`timed: ${original.size} files, uninterrupted run ${full} ms; kills: ${kills.join(', ')}`);
    await finishAndRestore(src, vault, 'timed', goodZips);
  }

  // Scenario 2: kills inside the deletions, each the moment a random remaining original goes. The
  // kill lands some milliseconds after the file goes; when the file picked was among the last to
  // go, the run finished first and no kill landed between deletions: then the scenario starts
  // again on a fresh tree, up to three times.
  const between = (k: number) => k > 0 && k < original.size;
  const attempts: number[][] = [];
  for (let attempt = 0; attempt < 3 && !attempts.flat().some(between); attempt++) {
    const { src, vault } = await fresh(`deleting-${attempt}`);
    const goodZips = new Set<string>();
    const kills = await killBetweenDeletes({
      args: argsFor(src, vault), env, src, times: 8,
      afterKill: async (i) => {
        await checkInvariant(src, vault, `delete kill ${attempt}.${i}`, goodZips);
        return original.size - (await snapshot(src)).size;
      },
    });
    attempts.push(kills);
    await finishAndRestore(src, vault, `deleting ${attempt}`, goodZips);
  }
  t.diagnostic(`deleting: originals deleted when each kill landed, per attempt: ${attempts.map((k) => k.join(', ')).join(' | ')}`);
  assert.ok(attempts.flat().some(between), 'kills landed between deletions');
});
