import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { buildTree, entriesUnder, snapshot } from '../helpers/images.js';
import { NOBODY, isRoot, picvault, tryMount, type RunOptions } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { vaultZips } from '../helpers/vault.js';

/**
 * SPEC "Read-only vaults": a vault on a write-protected drive, a read-only mount or in a folder
 * the user may only read is browsed, verified, planned for and restored from; nothing is written
 * to it (not even SQLite's -shm), and no advice printed is one that cannot work there.
 */
const env = { PICVAULT_DEVICE: 'pc' };

async function archived() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 4, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault };
}

/** Every command that only reads the vault works on it, and says nothing about reindex. */
async function assertReadsWork(vault: string, src: string, out: string, as: RunOptions = {}): Promise<void> {
  const run = async (args: string[], code = 0) => {
    const r = await picvault(args, { ...as, env });
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, /reindex/, args.join(' '));
    return r;
  };
  const list = (await run(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(list.length, 4);
  for (const sub of ['months', 'log', 'devices']) await run(['catalog', sub, '--vault', vault]);
  await run(['catalog', 'show', list[0].hash, '--vault', vault]);
  for (const readData of [[], ['--read-data']]) {
    const v = await run(['verify', '--vault', vault, ...readData]);
    assert.match(v.stdout, /vault is whole/);
    assert.match(v.stderr, /read-only: this check was reported, not recorded/);
  }
  const plan = await run(['clean', src, '--vault', vault, '--dry-run']);
  assert.match(plan.stdout, /4 files can go/);
  assert.match(plan.stdout, /the vault is read-only/);
  await run(['archive', src, '--to', vault, '--dry-run']);
  await run(['restore', '--from', vault, '--to', out]);
  assert.equal((await snapshot(out)).size, 4);
}

/** A run that wrote to the catalogue and died (a drive pulled out): its commit is only in the -wal. */
function killedWriter(vault: string): void {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const D = require(${JSON.stringify(sqlite)}); const db = new D(${JSON.stringify(path.join(vault, 'picvault.db'))});
    db.pragma('wal_autocheckpoint = 0');
    db.prepare("INSERT INTO runs (command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome) VALUES ('restore', 'pc', 'x', 'x', '[]', '{}', 7, 0, 0, 'done')").run();
    process.kill(process.pid, 'SIGKILL');`;
  spawnSync(process.execPath, ['-e', script]);
}

test('a vault on a read-only mount: every reading command works, writing ones say why not, nothing is written', async (t) => {
  if (!isRoot()) return t.skip('a read-only mount needs root');
  const { root, src, vault } = await archived();
  const view = path.join(root, 'view');
  await mkdir(view);
  if (!tryMount('--bind', vault, view)) return t.skip('this machine does not let a test mount a file system');
  if (!tryMount('-o', 'remount,bind,ro', view)) {
    execFileSync('umount', [view]);
    return t.skip('this machine does not let a test make a mount read-only');
  }
  try {
    const before = await entriesUnder(vault);
    await assertReadsWork(view, src, path.join(root, 'out'));
    const archive = await picvault(['archive', src, '--to', view], { env });
    assert.equal(archive.code, 10, archive.stderr);
    assert.match(archive.stderr, /cannot write to the vault .*: the drive or folder is read-only \(EROFS\)\. picvault can still read it there \(catalog, verify, restore and serve work\)/);
    const clean = await picvault(['clean', src, '--vault', view, '--yes'], { env });
    assert.equal(clean.code, 10, clean.stderr);
    assert.match(clean.stderr, /read-only: clean records each delete/);
    assert.deepEqual(await entriesUnder(vault), before, 'nothing written to the vault');
    assert.equal((await snapshot(src)).size, 4, 'nothing deleted');

    // Damage found on a read-only drive: repair cannot run there, so the advice is to copy it.
    const [zip] = await vaultZips(vault);
    const bytes = await readFile(zip);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(zip, bytes);
    const damaged = await picvault(['verify', '--vault', view]);
    assert.equal(damaged.code, 4, damaged.stderr);
    assert.match(damaged.stderr, /read-only, and repair writes to it: copy the vault to a writable drive/);
    assert.doesNotMatch(damaged.stderr, new RegExp(`repair --vault ${view}`));

    // The drive was pulled out mid-run: the last commit is in the -wal, read with its -shm.
    killedWriter(vault);
    const log = await picvault(['catalog', 'log', '--vault', view, '--json']);
    assert.equal(log.code, 0, log.stderr);
    assert.deepEqual(log.stdout.trim().split('\n').map((l) => JSON.parse(l).command), ['archive', 'restore']);
    // Without its -shm, that -wal cannot be read here: say what works.
    await rm(path.join(vault, 'picvault.db-shm'));
    const noShm = await picvault(['catalog', 'months', '--vault', view]);
    assert.equal(noShm.code, 10);
    assert.match(noShm.stderr, /copy the vault folder to a writable drive/);
    // A lost catalogue on a read-only drive: reindex cannot run there, so it is not what is advised.
    for (const f of ['picvault.db', 'picvault.db-wal']) await rm(path.join(vault, f));
    const lost = await picvault(['verify', '--vault', view]);
    assert.equal(lost.code, 10);
    assert.match(lost.stderr, /read-only: copy the vault to a writable drive and run picvault reindex --vault <the copy> there/);
  } finally {
    execFileSync('umount', [view]);
  }
});

test('a vault folder the user may only read: every reading command works as that user, nothing is written', async (t) => {
  if (!isRoot()) return t.skip('a refused write needs root to run the binary as another user');
  const asUser = { uid: NOBODY, gid: NOBODY };
  if ((await picvault(['--version'], asUser)).code !== 0) return t.skip('nobody cannot reach this checkout');
  const { root, src, vault } = await archived();
  execFileSync('chmod', ['-R', 'a-w', vault]);
  const out = path.join(root, 'out');
  await mkdir(out);
  await chown(out, NOBODY, NOBODY);
  const before = await entriesUnder(vault);
  try {
    await assertReadsWork(vault, src, out, asUser);
    assert.deepEqual(await entriesUnder(vault), before, 'nothing written to the vault');
  } finally {
    await chmod(vault, 0o755);
    execFileSync('chmod', ['-R', 'u+w', vault]);
  }
});
