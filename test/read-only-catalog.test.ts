import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalog } from '../src/catalog/db.js';
import { immutableUri } from '../src/catalog/read-only.js';
import { Database } from '../src/catalog/sqlite.js';
import { tempDir } from './helpers/tmp.js';

const { win32, posix } = path;

test('a catalogue on read-only media is named as an immutable URI, for paths of either flavour', () => {
  assert.equal(immutableUri('/media/u盘/备份 #1/picvault.db', posix), 'file:/media/u盘/备份 %231/picvault.db?immutable=1');
  assert.equal(immutableUri('/v/100%?/picvault.db', posix), 'file:/v/100%25%3F/picvault.db?immutable=1');
  assert.equal(immutableUri('E:\\微信备份\\picvault.db', win32), 'file:/E:/微信备份/picvault.db?immutable=1');
  assert.equal(immutableUri('\\\\nas\\share\\vault\\picvault.db', win32), 'file:////nas/share/vault/picvault.db?immutable=1');
});

test('URI file names work in this process: an immutable connection reads the catalogue and writes nothing', async () => {
  const dir = path.join(await tempDir(), '备份 #1');
  const file = path.join(dir, 'picvault.db');
  const { mkdir, readdir } = await import('node:fs/promises');
  await mkdir(dir);
  openCatalog(file).close();
  const db = new Database(immutableUri(file), { readonly: true, fileMustExist: true });
  try {
    assert.ok((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n > 0);
  } finally {
    db.close();
  }
  assert.deepEqual(await readdir(dir), ['picvault.db']);
});
