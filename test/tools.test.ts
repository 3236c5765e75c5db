import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { unzipTest } from './helpers/zip-tools.js';
import { tempDir } from './helpers/tmp.js';

const CHECK = fileURLToPath(new URL('./check-tools.ts', import.meta.url));
const check = (PATH: string) => spawnSync(process.execPath, ['--import', 'tsx', CHECK], { env: { ...process.env, PATH }, encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });

test('npm test says once, before any test, which tools are missing and how to install them', async () => {
  const empty = await tempDir();
  const r = check(empty);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  for (const tool of ['unzip', '7z', 'python3', 'exiftool']) assert.equal(r.stderr.match(new RegExp(`^  ${tool}: `, 'gm'))?.length, 1, r.stderr);
  if (process.platform === 'linux') assert.match(r.stderr, /^ {2}strace: /m);
  assert.match(r.stderr, /sudo apt-get install unzip p7zip-full python3 libimage-exiftool-perl( strace)?$/m);
  assert.match(r.stderr, /brew install unzip p7zip python exiftool/);
  assert.doesNotMatch(r.stderr, /ENOENT|\n\s+at /);

  const all = check(process.env.PATH ?? '');
  assert.deepEqual([all.status, all.stdout, all.stderr], [0, '', '']);
});

test('a test run by hand without a tool says what to install, not spawn ENOENT', async () => {
  const saved = process.env.PATH;
  process.env.PATH = await tempDir();
  try {
    await assert.rejects(unzipTest('any.zip'), (err: Error) => /unzip: checks every zip/.test(err.message) && /apt-get install unzip/.test(err.message) && !/ENOENT/.test(err.message));
  } finally {
    process.env.PATH = saved;
  }
});
