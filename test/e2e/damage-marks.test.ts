import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openCatalog } from '../../src/catalog/db.js';
import { rewriteZip } from '../helpers/damage.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { catalogueBeforePathKeys, vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };

test('a damage mark set by a data check (reindex) is not cleared by a plain verify: exit 4 with what to run, and clean keeps the originals', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 4, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  // The zip rewritten with one image's bytes changed and renamed to its new hash: its name matches its
  // bytes and it opens, so only a check that re-hashes the images sees the damage.
  const [zip] = await vaultZips(vault);
  let changed = '';
  await rewriteZip(zip, {
    entry: (name, bytes) => {
      if (changed) return bytes;
      changed = name.slice(0, 16);
      bytes[bytes.length - 10] ^= 0x01;
      return bytes;
    },
  });
  for (const f of ['picvault.db', 'picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
  const re = await picvault(['reindex', '--vault', vault]);
  assert.equal(re.code, 4, re.stderr);

  const plain = await picvault(['verify', '--vault', vault]);
  assert.equal(plain.code, 4, `${plain.stdout}${plain.stderr}`);
  assert.doesNotMatch(plain.stdout, /vault is whole/);
  assert.match(plain.stderr, /stronger one marked it damaged.*picvault verify --read-data --vault/);
  // A second plain verify finds the mark still there.
  assert.equal((await picvault(['verify', '--vault', vault])).code, 4);
  assert.match((await picvault(['catalog', 'show', changed, '--vault', vault])).stdout, /DAMAGED/);

  const before = await snapshot(src);
  const clean = await picvault(['clean', src, '--vault', vault, '--yes'], { env });
  assert.equal(clean.code, 4, clean.stderr);
  assert.deepEqual(await snapshot(src), before, 'nothing deleted from a damaged archive');
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 4, 'a check as strong finds it still damaged');

  // In Chinese too.
  const zh = await picvault(['verify', '--vault', vault, '--lang', 'zh']);
  assert.match(zh.stderr, /更严格的检查曾将其标记为损坏/);
});

test('a damage mark made before marks had a strength counts as the strongest', async () => {
  const root = await tempDir();
  const vault = path.join(root, 'vault');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(vault);
  const file = path.join(vault, 'picvault.db');
  const old = catalogueBeforePathKeys(file);
  old.prepare(`INSERT INTO archives (name, month, xxh64, bytes, created_at, verified_at, damage) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run('archives/2024/2024-01/2024-01_0123456789abcdef.zip', '2024-01', '0123456789abcdef', 10, 'then', null, 'entry x does not match its hash');
  old.close();
  openCatalog(file).close();
  const db = new Database(file, { readonly: true });
  assert.equal(db.prepare('SELECT damage_strength FROM archives').pluck().get(), 2);
  db.close();
});
