import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { buildTree, snapshot } from '../helpers/images.js';
import { NOBODY, assertClean, isRoot, picvault } from '../helpers/cli.js';
import { inTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/tmp.js';

const ZH = { LANG: 'zh_CN.UTF-8' };

async function fixture() {
  const root = await tempDir();
  const src = path.join(root, 'photos');
  await buildTree(src, 4, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  const ok = await picvault(['archive', src, '--to', vault, '--device-name', 'pc']);
  assert.equal(ok.code, 0, ok.stderr);
  return { root, src, vault };
}

test('bad usage: exit 2 and one line, in English or Chinese, nothing changed', async () => {
  const { root, src, vault } = await fixture();
  const before = await snapshot(root);
  assertClean(await picvault(['scan', src, '--before', '2024-13']), 2, /--before wants YYYY-MM or YYYY-MM-DD, a real date: 2024-13/);
  assertClean(await picvault(['archive', src, '--to', vault, '--since', '2024-02-30']), 2, /--since/);
  assertClean(await picvault(['scan', path.join(root, 'nope')]), 2, /source folder not found/);
  assertClean(await picvault(['archive', path.join(root, 'nope'), '--to', vault]), 2, /source folder not found/);
  assertClean(await picvault(['scan', src, '--bogus']), 2, /^picvault: unknown option --bogus; see picvault scan --help$/);
  assertClean(await picvault(['frobnicate']), 2, /unknown command/);
  assertClean(await picvault(['restore', '--from', vault, '--hash', 'zz']), 2, /not a hash/);
  assertClean(await picvault(['restore', '--from', vault, '--hash', '0123456789']), 2, /no image in the vault has a hash/);
  assertClean(await picvault(['archive', src, '--to', vault, '--min-size', 'lots']), 2, /--min-size wants a size/);
  assertClean(await picvault(['restore', '--from', vault, '--overwrite', 'maybe']), 2, /--overwrite must be one of never\|if-different\|always/);
  assertClean(await picvault(['archive', src]), 2, /name the vault with --to DIR/);
  for (const name of ['..', '', 'pc\n2']) {
    assertClean(await picvault(['archive', src, '--to', vault, '--device-name', name]), 2, /a device name must be one a folder can have/);
  }
  assertClean(await picvault(['archive', src, '--to', vault], { env: { PICVAULT_DEVICE: '..' } }), 2, /a device name/);
  assertClean(await picvault(['archive', src, '--to', vault, '--device-name', '..', '--lang', 'zh']), 2, /设备名必须能用作文件夹名/);
  assertClean(await picvault(['scan', src, '--before', '2024-13', '--lang', 'zh']), 2, /--before 需要真实日期/);
  assertClean(await picvault(['scan', path.join(root, 'nope')], { env: { LANG: 'zh_CN.UTF-8' } }), 2, /找不到来源文件夹/);
  assert.deepEqual(await snapshot(root), before);
});

test('not a vault, a missing vault, a read-only vault folder: exit 10 and nothing changed', async (t) => {
  const { root, src } = await fixture();
  const plain = path.join(root, 'plain');
  await mkdir(plain);
  await writeFile(path.join(plain, 'notes.txt'), 'hello');
  const before = await snapshot(root);
  assertClean(await picvault(['catalog', 'months', '--vault', plain]), 10, /not a picvault vault/);
  assertClean(await picvault(['verify', '--vault', path.join(root, 'missing')]), 10, /no vault at/);
  assertClean(await picvault(['restore', '--from', plain]), 10, /not a picvault vault/);
  assert.deepEqual(await snapshot(root), before);

  // The kernel must refuse the write, so as root the binary runs as nobody, which needs to be able
  // to reach the checkout (a clone under a private folder cannot be run by nobody at all).
  const ro = path.join(root, 'readonly');
  await mkdir(ro);
  await chmod(ro, 0o555);
  const asUser = isRoot() ? { uid: NOBODY, gid: NOBODY } : {};
  if (isRoot() && (await picvault(['--version'], asUser)).code !== 0) {
    t.skip('nobody cannot reach this checkout, so a read-only folder cannot be shown to root');
    return;
  }
  const r = await picvault(['archive', src, '--to', ro], asUser);
  assertClean(r, 10, /cannot write to the vault/);
  assert.deepEqual(await snapshot(ro), new Map());
});

test('a catalogue that is an empty file or a folder: exit 10 and advice that works, never "whole", never a crash', async () => {
  const { root, vault } = await fixture();
  const db = path.join(vault, 'picvault.db');
  await rm(db);
  await writeFile(db, '');
  assertClean(await picvault(['verify', '--vault', vault]), 10, /picvault\.db is an empty file \(0 bytes\): it was lost, the vault is not empty; run: picvault reindex --vault/);
  assertClean(await picvault(['catalog', 'months', '--vault', vault, '--lang', 'zh']), 10, /是空文件（0 字节）/);
  assert.equal((await stat(db)).size, 0, 'left as it was');
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0, 'the advice works');
  assert.equal(JSON.parse((await picvault(['catalog', 'months', '--vault', vault, '--json'])).stdout).totals.locations, 4);

  await rm(db);
  await mkdir(db);
  assertClean(await picvault(['verify', '--vault', vault]), 10, /picvault\.db is not a file \(a folder\?\), so it is no catalogue; move it aside and run: picvault reindex/);
  assertClean(await picvault(['restore', '--from', vault, '--to', path.join(root, 'out')]), 10, /is not a file/);
  await rename(db, path.join(root, 'aside'));
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0, 'the advice works');
});

test('a file name that is not valid UTF-8 is skipped, named with its bytes, with why (exit 3)', async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux file names may hold any bytes');
  const { root, src, vault } = await fixture();
  const chat = path.join(src, 'chat0');
  const { copyFileSync, readdirSync } = await import('node:fs');
  const some = path.join(chat, readdirSync(chat)[0]);
  copyFileSync(some, Buffer.concat([Buffer.from(chat + '/img'), Buffer.from([0xff, 0xfe]), Buffer.from('.jpg')]));
  const r = await picvault(['archive', src, '--to', vault]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`${chat}/img\\\\xff\\\\xfe\\.jpg: its name is not valid UTF-8`));
  assert.doesNotMatch(r.stderr, /ENOENT/);
  void root;
});

test('a vault held by a live run: exit 11; a lock left by a killed run is taken over', async () => {
  const { src, vault } = await fixture();
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    await writeFile(path.join(vault, '.lock'), JSON.stringify({ pid: sleeper.pid, host: os.hostname(), startedAt: new Date().toISOString() }));
    assertClean(await picvault(['archive', src, '--to', vault]), 11, /in use by another picvault run/);
    assertClean(await picvault(['verify', '--vault', vault]), 11, /in use/);
  } finally {
    sleeper.kill('SIGKILL');
  }
  await new Promise((r) => sleeper.once('exit', r));
  const after = await picvault(['archive', src, '--to', vault]);
  assert.equal(after.code, 0, after.stderr);
});

test('--json prints one JSON document; listings print JSON lines', async () => {
  const { src, vault } = await fixture();
  const scan = await picvault(['scan', src, '--json']);
  assert.equal(scan.code, 0);
  assert.equal(JSON.parse(scan.stdout).files, 4);
  const list = await picvault(['catalog', 'list', '--vault', vault, '--json', '--month', '2024-02']);
  const rows = list.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.month === '2024-02'));
  const dry = await picvault(['archive', src, '--to', vault, '--dry-run', '--json']);
  assert.equal(JSON.parse(dry.stdout).dryRun, true);
});

test('output piped into a reader that stops early (| head) ends quietly', async () => {
  const { vault } = await fixture();
  // Far more output than a pipe buffers, so the writer meets the closed pipe.
  const { openCatalog } = await import('../../src/catalog/db.js');
  const db = openCatalog(path.join(vault, 'picvault.db'));
  const clone = db.prepare(`INSERT INTO locations (hash, size, device, source, kind, root, path, path_key, mtime_ms, birthtime_ms, taken, month, date_rule, exif_date, archive_id)
    SELECT hash, size, device, source, kind, root, path || ?, picvault_path_key(path || ?), mtime_ms, birthtime_ms, taken, month, date_rule, exif_date, archive_id FROM locations WHERE id = 1`);
  db.transaction(() => { for (let i = 0; i < 20000; i++) clone.run(`.${i}`, `.${i}`); })();
  db.close();
  const { execFile } = await import('node:child_process');
  const { BIN } = await import('../helpers/cli.js');
  const out = await new Promise<{ stderr: string; code: number }>((resolve) => {
    execFile('sh', ['-c', `"${process.execPath}" "${BIN}" catalog list --vault "${vault}" --json | head -c 1 >/dev/null; "${process.execPath}" "${BIN}" catalog months --vault "${vault}" | true`], (err, _o, stderr) =>
      resolve({ stderr, code: err ? Number(err.code) : 0 }),
    );
  });
  assert.equal(out.stderr, '');
});

test('a Windows path on Linux or macOS is refused (exit 2) with a hint, and never made into a folder', { skip: process.platform === 'win32' && 'every such path is a path on Windows' }, async () => {
  const { root, src, vault } = await fixture();
  const before = await snapshot(root);
  const hint = /is a Windows path, and this is (Linux|macOS): give a path of this machine, such as \/mnt\/backup or \.\/backup/;
  const cases: [string[], NodeJS.ProcessEnv?][] = [
    [['archive', src, '--to', 'D:\\backup']],
    [['archive', src, '--to', 'D:']],
    [['archive', 'C:\\Users\\me\\Documents\\Tencent Files', '--to', vault]],
    [['restore', '--from', vault, '--to', '\\\\nas\\photos']],
    [['clean', src, '--vault', vault, '--preview', 'E:\\sheet.png', '--dry-run']],
    [['demo', '--dir', 'F:\\demo']],
    [['verify'], { PICVAULT_VAULT: 'D:\\vault' }],
  ];
  for (const [args, env] of cases) {
    assertClean(await picvault(args, { cwd: root, env }), 2, hint);
    assertClean(await picvault(args, { cwd: root, env: { ...env, ...ZH } }), 2, /是 Windows 路径，而本机是 (Linux|macOS)：请给出本机的路径/);
  }
  assert.deepEqual(await snapshot(root), before);
  assert.deepEqual((await readdir(root)).filter((f) => f.includes(':') || f.includes('\\')), []);
});

test('a command that fails on bad input leaves nothing behind: no vault, no folder', async () => {
  const { root, src, vault } = await fixture();
  const before = await snapshot(root);
  const fresh = path.join(root, 'NEW');
  const runs: [string[], RegExp][] = [
    [['archive', path.join(root, 'nonexistent'), '--to', fresh], /source folder not found/],
    [['archive', src, path.join(root, 'nonexistent'), '--to', fresh], /source folder not found/],
    [['archive', src, '--to', fresh, '--since', '2024-06', '--before', '2024-01'], /select no day/],
    [['archive', src, '--to', fresh, '--hash', 'zz'], /not a hash/],
    [['archive', src, '--to', fresh, '--max-archive-size', 'big'], /--max-archive-size wants a size/],
    [['restore', '--from', vault, '--to', fresh, '--month', '2024-13'], /--month/],
    [['restore', '--from', path.join(root, 'nonexistent'), '--to', fresh], /no vault at/],
    [['demo', '--dir', src], /not a new or empty folder/],
  ];
  for (const [args, said] of runs) {
    const r = await picvault(args);
    assert.ok(r.code === 2 || r.code === 10, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
    assert.match(r.stderr, said);
    assert.equal(await stat(fresh).catch(() => null), null, `${args.join(' ')} left ${fresh}`);
  }
  assert.deepEqual(await snapshot(root), before);
});

test('--since after --before is refused as an empty range (exit 2), in English and Chinese', async () => {
  const { src, vault } = await fixture();
  assertClean(await picvault(['scan', src, '--since', '2024-06', '--before', '2024-01']), 2,
    /^picvault: --since 2024-06 --before 2024-01 select no day \(none is on or after 2024-06-01 and before 2024-01-01\); check the dates$/);
  assertClean(await picvault(['restore', '--from', vault, '--month', '2024-03', '--before', '2024-03-01'], { env: ZH }), 2, /--before 2024-03-01 --month 2024-03 选不到任何日期/);
  assertClean(await picvault(['catalog', 'list', '--vault', vault, '--since', '2024-02-10', '--before', '2024-02-10']), 2, /select no day/);
  // A range of one day is not empty.
  assert.equal((await picvault(['catalog', 'list', '--vault', vault, '--since', '2024-02-10', '--before', '2024-02-11'])).code, 0);
});

test('--to FILE and --vault FILE say the path is a file, not a folder', async () => {
  const { root, src } = await fixture();
  const file = path.join(root, 'notes.txt');
  await writeFile(file, 'a file');
  assertClean(await picvault(['archive', src, '--to', file]), 10, /^picvault: .*notes\.txt is a file, not a folder: a vault is a folder$/);
  assertClean(await picvault(['verify', '--vault', file]), 10, /notes\.txt is a file, not a folder/);
  assertClean(await picvault(['catalog', 'months', '--vault', file], { env: ZH }), 10, /notes\.txt 是文件而不是文件夹/);
  const { vault } = await fixture();
  assertClean(await picvault(['restore', '--from', vault, '--to', file]), 2, /notes\.txt is a file, not a folder: restore --to wants a folder/);
  assert.equal((await stat(file)).isFile(), true);
});

test('Ctrl-C at clean\'s question exits 130 and deletes nothing', async () => {
  for (const [lang, said] of [[{}, /interrupted at the question; nothing was changed/], [ZH, /在询问时中断；未做任何改动/]] as const) {
    const { root, src, vault } = await fixture();
    const before = await snapshot(src);
    const r = await inTerminal(['clean', src, '--vault', vault, '--device-name', 'pc'], '\x03', { env: { TMPDIR: root, ...lang } });
    assert.equal(r.code, 130, r.out);
    assert.match(r.out, said);
    assert.doesNotMatch(r.out, /unexpectedly|Aborted/);
    assert.deepEqual(await snapshot(src), before);
  }
});
