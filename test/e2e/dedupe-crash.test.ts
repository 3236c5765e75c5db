import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, readFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { encodeDat3 } from '../../src/media/dat.js';
import { checkZip } from '../../src/vault/check-zip.js';
import { absArchivePath, parseArchiveName } from '../../src/vault/layout.js';
import { picvault } from '../helpers/cli.js';
import { put, wechat3Path } from '../helpers/duplicates.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { killBetweenDeletes, runKilledAfter } from '../helpers/kill.js';
import { tempDir } from '../helpers/tmp.js';
import { hashBytes } from '../../src/media/hash.js';

const env = { ...process.env, LANG: 'en_US.UTF-8', PICVAULT_DEVICE: 'pc' };

/** 60 pictures, each forwarded into two more chats, and every fourth also a WeChat .dat: 195 files. */
async function duplicateTree(dir: string): Promise<void> {
  const originals = await buildTree(path.join(dir, 'chat-main'), 60, ['2024-01', '2024-02', '2024-03']);
  for (const [i, f] of originals.entries()) {
    for (const c of [1, 2]) {
      const copy = path.join(dir, `group-${c}`, `${i % 5}`, path.basename(f));
      await mkdir(path.dirname(copy), { recursive: true });
      await copyFile(f, copy);
      const when = new Date(2024, 3 + c, 1 + (i % 27), 12);
      await utimes(copy, when, when);
    }
    if (i % 4 === 0) await put(wechat3Path(dir, `chat-${i % 3}`, '2024-05', String(i)), encodeDat3(await readFile(f), 0x9f), '2024-05-06');
  }
}

test('dedupe --clean killed with SIGKILL at many moments: no kept copy ever goes, every removed copy is in a verified archive, and the runs undo', { timeout: 900_000 }, async (t) => {
  const root = await tempDir();
  const pristine = path.join(root, 'pristine');
  await duplicateTree(pristine);
  const original = await snapshot(pristine);
  assert.equal(original.size, 195);
  const hashOf = new Map<string, string>();
  for (const [rel, f] of original) hashOf.set(rel, await hashBytes(f.bytes));
  const argsFor = (src: string, vault: string) => ['dedupe', src, '--vault', vault, '--clean', '--yes', '--quiet'];
  const fresh = async (name: string) => {
    const src = path.join(root, name, 'cache');
    await cp(pristine, src, { recursive: true, preserveTimestamps: true });
    return { src, vault: path.join(root, name, 'vault') };
  };

  // Which copies stay: asked once of the untouched tree; they may never go, whatever is killed when.
  const probe = await fresh('probe');
  const report = JSON.parse((await picvault(['dedupe', probe.src, '--json'], { env })).stdout) as { groups: { members: { path: string; removable: boolean }[] }[] };
  const kept = new Set(report.groups.map((g) => path.relative(probe.src, g.members[0].path)));
  const removable = report.groups.flatMap((g) => g.members.filter((m) => m.removable)).length;
  assert.equal(kept.size, 60);
  assert.equal(removable, 135);
  const started = Date.now();
  assert.equal((await picvault(argsFor(probe.src, probe.vault), { env })).code, 0);
  const full = Date.now() - started;
  assert.equal((await snapshot(probe.src)).size, 60);

  const checkInvariant = async (src: string, vault: string, label: string, goodZips: Set<string>) => {
    const now = await snapshot(src);
    for (const k of kept) assert.deepEqual(now.get(k)?.bytes, original.get(k)!.bytes, `${label}: the kept copy ${k} is in place`);
    const dbFile = path.join(vault, 'picvault.db');
    const db = now.size === original.size ? null : new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      for (const [rel, f] of original) {
        const present = now.get(rel);
        if (present) {
          assert.deepEqual(present.bytes, f.bytes, `${label}: ${rel} unchanged`);
          continue;
        }
        const rows = db!.prepare(
          // The file's own hash: a .dat stored as its picture keeps it beside the picture's (SPEC "Picture identity").
          `SELECT COALESCE(l.file_hash, l.hash) AS hash, a.name FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id
           WHERE l.path = ? AND l.device = 'pc' AND a.verified_at IS NOT NULL`,
        ).all(path.join(src, rel)) as { hash: string; name: string }[];
        const row = rows.find((r) => r.hash === hashOf.get(rel));
        assert.ok(row, `${label}: removed ${rel} is catalogued with its hash in a verified archive`);
        if (!goodZips.has(row.name)) {
          const zip = absArchivePath(vault, row.name);
          assert.deepEqual((await checkZip(zip, { readData: true, expectedXxh64: parseArchiveName(path.basename(zip))!.xxh64 })).damage, [], `${label}: ${row.name} is whole`);
          goodZips.add(row.name);
        }
      }
    } finally {
      db?.close();
    }
  };

  const finishAndUndo = async (src: string, vault: string, label: string, goodZips: Set<string>) => {
    const final = await picvault(argsFor(src, vault), { env });
    assert.equal(final.code, 0, final.stderr);
    assert.deepEqual(new Set((await snapshot(src)).keys()), kept, `${label}: the re-run leaves exactly the kept copies`);
    await checkInvariant(src, vault, `${label} final`, goodZips);
    assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
    const log = (await picvault(['catalog', 'log', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; command: string });
    for (const run of log.filter((r) => r.command === 'dedupe')) {
      const undo = await picvault(['restore', '--from', vault, '--run', String(run.id)], { env });
      assert.equal(undo.code, 0, `${label}: undo of run ${run.id}: ${undo.stderr}`);
    }
    assert.deepEqual(await snapshot(src), original, `${label}: every dedupe run undone, the tree is whole again`);
  };

  // Kills spread over the whole run: walk, hashing, archiving the copies, planning, deleting.
  {
    const { src, vault } = await fresh('timed');
    const goodZips = new Set<string>();
    const kills: string[] = [];
    for (let i = 0; i < 8; i++) {
      const ms = Math.round(150 + ((full - 150) * (i + Math.random())) / 8);
      const code = await runKilledAfter(argsFor(src, vault), ms, env);
      kills.push(`${ms}ms→${original.size - (await snapshot(src)).size} removed${code === 0 ? ' (finished)' : ''}`);
      await checkInvariant(src, vault, `timed kill ${i}`, goodZips);
      if (code === 0) break;
    }
    t.diagnostic(`timed: uninterrupted run ${full} ms; kills: ${kills.join(', ')}`);
    await finishAndUndo(src, vault, 'timed', goodZips);
  }

  // Kills inside the deletes: the moment a removable copy goes.
  const between = (k: number) => k > 0 && k < removable;
  const attempts: number[][] = [];
  for (let attempt = 0; attempt < 3 && !attempts.flat().some(between); attempt++) {
    const { src, vault } = await fresh(`deleting-${attempt}`);
    const goodZips = new Set<string>();
    const kills = await killBetweenDeletes({
      args: argsFor(src, vault), env, src, times: 6, deletable: (rel) => !kept.has(rel),
      afterKill: async (i) => {
        await checkInvariant(src, vault, `delete kill ${attempt}.${i}`, goodZips);
        return original.size - (await snapshot(src)).size;
      },
    });
    attempts.push(kills);
    await finishAndUndo(src, vault, `deleting ${attempt}`, goodZips);
  }
  t.diagnostic(`deleting: copies removed when each kill landed, per attempt: ${attempts.map((k) => k.join(', ')).join(' | ')}`);
  assert.ok(attempts.flat().some(between), 'kills landed between deletions');
});
