import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PATH_KEY_SQL, pathKey } from '../../src/catalog/path-key.js';
import { buildTree } from '../helpers/images.js';
import { BIN, picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { catalogueBeforePathKeys } from '../helpers/vault.js';

/** Places added to the old catalogue beyond the real ones, so the upgrade takes long enough to be killed in. */
const EXTRA_PER_PLACE = 2000;

/**
 * The vault's catalogue as the release before path keys wrote it (catalogueBeforePathKeys), the
 * vault's own rows copied in, and many more places (paths that do not exist, as if cleaned) so
 * that the upgrade takes a while.
 */
function writeOldCatalogue(vaultDb: string, file: string): number {
  const old = catalogueBeforePathKeys(file);
  const cols = `hash, size, device, source, kind, account, chat, root, path, mtime_ms, birthtime_ms, taken, month, date_rule,
                exif_date, archive_id, cleaned_at, restored_at`;
  old.exec(`ATTACH DATABASE '${vaultDb.replaceAll("'", "''")}' AS cur`);
  old.exec(`
    INSERT INTO archives SELECT id, name, month, xxh64, bytes, created_at, verified_at, damage FROM cur.archives;
    INSERT INTO images SELECT * FROM cur.images;
    INSERT INTO runs SELECT * FROM cur.runs;
    INSERT INTO locations (id, ${cols}) SELECT id, ${cols} FROM cur.locations;
    WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${EXTRA_PER_PLACE})
    INSERT INTO locations (${cols})
      SELECT ${cols.replace('path,', "path || '.gone' || n,")} FROM cur.locations, k;
  `);
  old.exec('DETACH DATABASE cur');
  const places = old.prepare('SELECT COUNT(*) FROM locations').pluck().get() as number;
  old.close();
  return places;
}

/** Runs a command that opens the catalogue for writing and SIGKILLs it after `ms`. */
function killedAfter(args: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, LANG: 'en_US.UTF-8' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The last migration there is: what an upgrade ends with. */
const NEWEST = readdirSync(path.resolve(import.meta.dirname, '../../migrations')).filter((f) => f.endsWith('.sql')).sort().at(-1)!;

/** A killed upgrade leaves the catalogue whole, in the old shape or the new, with every place. */
function assertWholeCatalogue(file: string, places: number): string {
  const db = new Database(file);
  try {
    db.function(PATH_KEY_SQL, { deterministic: true }, (p) => pathKey(String(p)));
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const last = db.prepare('SELECT id FROM schema_migrations ORDER BY id DESC LIMIT 1').pluck().get() as string;
    // All pending migrations commit together: the old shape, or every one applied.
    assert.ok(last === '0003_layouts.sql' || last === NEWEST, last);
    assert.equal(db.prepare('SELECT COUNT(*) FROM locations').pluck().get(), places);
    if (last === NEWEST) {
      assert.equal(db.prepare(`SELECT COUNT(*) FROM locations WHERE path_key != ${PATH_KEY_SQL}(path)`).pluck().get(), 0);
    }
    return last;
  } finally {
    db.close();
  }
}

test('a catalogue upgrade killed at any moment: whole before or after, the next run finishes it, every place found by its path', { timeout: 300_000 }, async (t) => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 30, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  const archived = await picvault(['archive', src, '--to', vault, '--device-name', 'pc', '--quiet']);
  assert.equal(archived.code, 0, archived.stderr);

  const dbFile = path.join(vault, 'picvault.db');
  const pristine = path.join(root, 'old.db');
  const places = writeOldCatalogue(dbFile, pristine);
  assert.equal(places, 30 * (EXTRA_PER_PLACE + 1));
  const useOld = async () => {
    for (const f of await readdir(vault)) if (f.startsWith('picvault.db')) await rm(path.join(vault, f));
    await copyFile(pristine, dbFile);
  };

  // How long an upgrade takes here, start-up included, sets the window to kill in.
  await useOld();
  const started = Date.now();
  const probe = await picvault(['catalog', 'months', '--vault', vault]);
  assert.equal(probe.code, 0, probe.stderr);
  const full = Date.now() - started;
  assert.equal(assertWholeCatalogue(dbFile, places), NEWEST);

  const seen = new Set<string>();
  for (let i = 0; i < 8; i++) {
    await useOld();
    await killedAfter(['catalog', 'months', '--vault', vault], Math.round(100 + ((full - 100) * (i + Math.random())) / 8));
    seen.add(assertWholeCatalogue(dbFile, places));
    // The next run completes the upgrade (or finds it done), and the vault is whole.
    const verify = await picvault(['verify', '--vault', vault]);
    assert.equal(verify.code, 0, verify.stderr);
    assert.equal(assertWholeCatalogue(dbFile, places), NEWEST);
  }
  t.diagnostic(`an upgrade took ${full} ms; the kills left the catalogue at ${[...seen].join(' and ')}`);
  assert.ok(seen.size > 0);

  // After the upgrade, clean finds every original through the new keys: all would go.
  const dry = await picvault(['clean', src, '--vault', vault, '--device-name', 'pc', '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(JSON.parse(dry.stdout).files.length, 30);
});

test('two runs that open an old catalogue at once: one upgrades it, the other waits and goes on', { timeout: 300_000 }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 30, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault, '--device-name', 'pc', '--quiet'])).code, 0);
  const dbFile = path.join(vault, 'picvault.db');
  const old = path.join(root, 'old.db');
  const places = writeOldCatalogue(dbFile, old);
  for (const f of await readdir(vault)) if (f.startsWith('picvault.db')) await rm(path.join(vault, f));
  await copyFile(old, dbFile);

  const runs = await Promise.all([
    picvault(['catalog', 'months', '--vault', vault]),
    picvault(['catalog', 'devices', '--vault', vault]),
    picvault(['verify', '--vault', vault]),
  ]);
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(assertWholeCatalogue(dbFile, places), NEWEST);
});
