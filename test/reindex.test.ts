import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { archive } from '../src/core/archive.js';
import { buildTree } from './helpers/images.js';
import { picvault } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';
import { snapshot } from './helpers/images.js';

const lines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);

/** What a user sees of the catalogue, as JSON: months, every place, devices, one image. */
async function answers(vault: string, hash: string) {
  const months = await picvault(['catalog', 'months', '--vault', vault, '--json']);
  const list = await picvault(['catalog', 'list', '--vault', vault, '--json']);
  const devices = await picvault(['catalog', 'devices', '--vault', vault, '--json']);
  const show = await picvault(['catalog', 'show', hash, '--vault', vault, '--json']);
  for (const r of [months, list, devices, show]) assert.equal(r.code, 0, r.stderr);
  const stripIds = (s: string) => s.replace(/"(id|archiveId|archive_id)": ?\d+/g, '"$1":0').replace(/"(\w*[vV]erifiedAt)": ?"[^"]*"/g, '"$1":"-"');
  return { months: months.stdout, list: stripIds(list.stdout), devices: devices.stdout, show: stripIds(show.stdout) };
}

test('reindex after deleting picvault.db: the catalogue answers the same and restore works', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 10, ['2023-12', '2024-01']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'laptop' });
  await archive({ vault, sources: [src], device: 'desktop' });
  const hash = JSON.parse((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.split('\n')[0]).hash as string;
  const before = await answers(vault, hash);

  for (const f of ['picvault.db', 'picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
  const missing = await picvault(['catalog', 'months', '--vault', vault]);
  assert.equal(missing.code, 10);
  assert.match(missing.stderr, /reindex/);

  const r = await picvault(['reindex', '--vault', vault]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /10 images, 20 places/);
  assert.deepEqual(await answers(vault, hash), before);

  const back = path.join(root, 'back');
  const restored = await picvault(['restore', '--from', vault, '--month', '2024-01', '--to', back]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal((await snapshot(back)).size, 10);
});

test('reindex keeps the audit trail of a catalogue it can read: catalog log, and when each original was cleaned or restored', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 6, ['2024-01']);
  const vault = path.join(root, 'vault');
  const env = { PICVAULT_DEVICE: 'pc' };
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  // Every original cleaned, then two of them restored in place.
  assert.equal((await picvault(['clean', src, '--vault', vault, '--yes'], { env })).code, 0);
  const two = JSON.parse((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.split('\n')[0]).hash as string;
  assert.equal((await picvault(['restore', '--from', vault, '--hash', two], { env })).code, 0);
  const audit = async () => {
    const log = await picvault(['catalog', 'log', '--vault', vault, '--json']);
    const list = await picvault(['catalog', 'list', '--vault', vault, '--json']);
    return { log: log.stdout, states: lines(list.stdout).map((r) => `${r.path} ${r.state}`).sort() };
  };
  const before = await audit();
  assert.equal(lines(before.log).length, 3);
  assert.deepEqual(new Set(before.states.map((s) => s.split(' ')[1])), new Set(['cleaned', 'restored']));

  const r = await picvault(['reindex', '--vault', vault]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 runs .* when 6 originals were cleaned or restored/);
  assert.deepEqual(await audit(), before);
});

test('reindex replaces a catalogue that is not SQLite at all', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 4, ['2024-01']);
  const vault = path.join(root, 'vault');
  await archive({ vault, sources: [src], device: 'pc' });
  await writeFile(path.join(vault, 'picvault.db'), 'this is not a database');
  for (const f of ['picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
  const broken = await picvault(['catalog', 'months', '--vault', vault]);
  assert.equal(broken.code, 10, broken.stderr);
  assert.doesNotMatch(broken.stderr, /at .*\.js:\d+/, 'no stack trace');
  const r = await picvault(['reindex', '--vault', vault]);
  assert.equal(r.code, 0, r.stderr);
  // Its audit trail is gone with it, and the user is told.
  assert.match(r.stderr, /old catalogue could not be read: its audit trail/);
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
});
