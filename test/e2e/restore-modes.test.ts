import assert from 'node:assert/strict';
import { readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { buildTree, snapshot } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('--overwrite never|if-different|always, and --dry-run writes nothing', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const files = await buildTree(src, 3, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault, '--device-name', 'pc'])).code, 0);
  const env = { PICVAULT_DEVICE: 'pc' };
  const original = await readFile(files[0]);
  await writeFile(files[0], 'a different file now');
  const before = await snapshot(root);

  const dry = await picvault(['restore', '--from', vault, '--overwrite', 'always', '--dry-run'], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /dry run/);
  assert.deepEqual(await snapshot(root), before, '--dry-run changes nothing');

  const never = await picvault(['restore', '--from', vault], { env });
  assert.equal(never.code, 3, 'a different file is skipped and reported');
  assert.match(never.stderr, /a different file is already there/);
  assert.match(never.stdout, /0 files restored.*2 already in place, 1 skipped/);
  assert.equal(await readFile(files[0], 'utf8'), 'a different file now');

  const ifDifferent = await picvault(['restore', '--from', vault, '--overwrite', 'if-different'], { env });
  assert.equal(ifDifferent.code, 0, ifDifferent.stderr);
  assert.match(ifDifferent.stdout, /1 file restored.*2 already in place/);
  assert.deepEqual(await readFile(files[0]), original);

  const mtime = (await stat(files[1])).mtimeMs;
  const always = await picvault(['restore', '--from', vault, '--overwrite', 'always'], { env });
  assert.equal(always.code, 0);
  assert.match(always.stdout, /3 files restored/);
  assert.equal((await stat(files[1])).mtimeMs, mtime);
});

test('a catalogue written by a newer picvault is refused, unchanged; archive --dry-run creates no vault', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 2, ['2024-01']);
  const vault = path.join(root, 'vault');
  const dry = await picvault(['archive', src, '--to', vault, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(await stat(vault).catch(() => null), null, 'no vault made by a dry run');

  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  const db = new Database(path.join(vault, 'picvault.db'));
  db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999_from_the_future.sql', 'x')").run();
  db.close();
  const before = await snapshot(vault);
  for (const args of [['catalog', 'months', '--vault', vault], ['archive', src, '--to', vault]]) {
    const r = await picvault(args);
    assert.equal(r.code, 10, r.stderr);
    assert.match(r.stderr, /newer picvault/);
  }
  assert.deepEqual(await snapshot(vault), before);
});
