import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { displayWidth, table, tableLines } from '../src/cli/render/format.js';
import { archive } from '../src/core/archive.js';
import { BIN, picvault } from './helpers/cli.js';
import { buildTree } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';

test('a table of 300 000 rows renders (a catalogue that size once overflowed the stack)', () => {
  const rows = Array.from({ length: 300_000 }, (_, i) => [`row${i}`, i]);
  const lines = table(['name', 'n'], rows, [false, true]).split('\n');
  assert.equal(lines.length, 300_002);
  assert.equal(lines.at(-1), 'row299999  299999');
});

test('a streamed table keeps its columns: no narrower than a header, CJK counted as two', () => {
  const { head, line } = tableLines(['日期', 'n', 'path'], [3, 1], [false, true]);
  assert.deepEqual(head.split('\n'), ['日期  n  path', '----  -  ----']);
  assert.equal(line(['abc', 7, '/a']), 'abc   7  /a');
  assert.equal(line(['五月', 12, '/b']), '五月  12  /b', 'a longer cell pushes its row out, nothing is cut');
});

/** A vault of `images` places from each device, one device's name longer than the others. */
async function listedVault(images: number, devices = ['pc', '客厅的台式电脑']): Promise<string> {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, images, ['2024-01', '2024-02']);
  const vault = path.join(root, 'vault');
  for (const [i, device] of devices.entries()) {
    const copy = path.join(root, `copy${i}`);
    await cp(src, copy, { recursive: true, preserveTimestamps: true });
    await archive({ vault, sources: [copy], device });
  }
  return vault;
}

test('catalog list prints every place as a table whose columns line up, in both languages', async () => {
  const vault = await listedVault(9);
  const json = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { hash: string; path: string });
  assert.equal(json.length, 18);
  for (const lang of ['en', 'zh']) {
    const r = await picvault(['catalog', 'list', '--vault', vault, '--lang', lang]);
    assert.equal(r.code, 0, r.stderr);
    const [header, rule, ...rows] = r.stdout.trimEnd().split('\n');
    assert.equal(rows.length, json.length, lang);
    // Every column starts where the rule's dashes start, measured in terminal columns.
    const starts = [...rule.matchAll(/-+/g)].map((m) => m.index!);
    assert.equal(starts.length, 7);
    for (const row of [header, ...rows]) {
      for (const at of starts.slice(1)) {
        const before = [...row].reduce<{ w: number; s: string }>((acc, ch) => (acc.w < at ? { w: acc.w + displayWidth(ch), s: acc.s + ch } : acc), { w: 0, s: '' });
        assert.equal(displayWidth(before.s), at, `${lang}: a column of "${row}" starts at ${at}`);
        assert.match(before.s, /  $/, `${lang}: two spaces before column ${at} of "${row}"`);
      }
    }
    assert.deepEqual(rows.map((row) => row.split(/\s+/).at(-1)).sort(), json.map((j) => j.path).sort(), lang);
  }
});

test('catalog list --json to a reader that stops for a while still gets every line, whole', async () => {
  // More than a pipe holds (64 KB): picvault has to wait for the reader, not queue it all.
  const vault = await listedVault(40, ['pc', 'phone', 'tablet', 'laptop']);
  const child = spawn(process.execPath, [BIN, 'catalog', 'list', '--vault', vault, '--json'], { env: { ...process.env, PICVAULT_VAULT: '' } });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const closed = new Promise((resolve) => child.on('close', resolve));
  let out = '';
  // Listening, but paused: the pipe fills and picvault must wait (unheard, Node would discard it).
  child.stdout.on('data', (d) => (out += d));
  child.stdout.pause();
  await new Promise((r) => setTimeout(r, 1000));
  child.stdout.resume();
  assert.equal(await closed, 0);
  assert.ok(out.length > 64 * 1024, `${out.length} bytes${err}`);
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 160);
  for (const l of lines) assert.ok(JSON.parse(l).hash);
});

test('archive names the first 20 zips it wrote and counts the rest; --json lists them all', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const months = Array.from({ length: 22 }, (_, i) => `20${22 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  await buildTree(src, 22, months);
  const shown = await picvault(['archive', src, '--to', path.join(root, 'v1'), '--quiet']);
  assert.equal(shown.code, 0, shown.stderr);
  const zips = shown.stdout.split('\n').filter((l) => /^ {2}archives\/\d{4}\/\d{4}-\d{2}\/\S+\.zip {2}/.test(l));
  assert.equal(zips.length, 20);
  assert.match(shown.stdout, /^ {2}… and 2 more \(use --json for all\)$/m);
  const zh = await picvault(['archive', src, '--to', path.join(root, 'v2'), '--quiet', '--lang', 'zh']);
  assert.match(zh.stdout, /^ {2}……另有 2 个（用 --json 查看全部）$/m);
  const all = JSON.parse((await picvault(['archive', src, '--to', path.join(root, 'v3'), '--json'])).stdout) as { archives: unknown[] };
  assert.equal(all.archives.length, 22);
});
