import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { BIN, userEnv } from '../helpers/cli.js';
import { putFile, sampleImage } from '../helpers/images.js';
import { bytesReadPerFile, straceWorks } from '../helpers/strace.js';
import { tempDir } from '../helpers/tmp.js';

/** A screenshot-like PNG of noise: well past the 64 KB head, no EXIF. */
const noisePng = () =>
  sharp({ create: { width: 220, height: 220, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png({ compressionLevel: 1 }).toBuffer();

/** A phone export in plain ASCII (strace prints such paths as they are): no layout claims it, so its dates come from EXIF. */
async function phoneExport(root: string) {
  const src = path.join(root, 'Phone', 'export');
  const dated = await sampleImage(5, 'jpeg', 200, '2019:04:02 10:30:00');
  const files = {
    photo: path.join(src, 'a1', 'photo.jpg'),
    copy: path.join(src, 'b2', 'photo-copy.jpg'),
    screenshot: path.join(src, 'c3', 'screenshot.png'),
  };
  await putFile(files.photo, dated, '2024-05-01');
  await putFile(files.copy, dated, '2024-05-02');
  const png = await noisePng();
  assert.ok(png.length > 80 * 1024, `the PNG is ${png.length} bytes`);
  await putFile(files.screenshot, png, '2024-05-03');
  return { src, files };
}

/** Runs picvault under strace; each traced line whose call names a file, as [file, line]. */
function traced(root: string, calls: string, args: string[]): { status: number | null; stdout: string; stderr: string; lines: string[] } {
  const trace = path.join(root, `trace-${args[0]}.txt`);
  const r = spawnSync('strace', ['-f', '-qq', '-y', '-s', '4096', '-e', `trace=${calls}`, '-o', trace, process.execPath, BIN, ...args], { env: userEnv(), encoding: 'utf8' });
  return { ...r, lines: readFileSync(trace, 'utf8').split('\n') };
}

test('archive opens each file of a plain folder once to date and hash it: only a new picture is opened again, to be stored', { skip: !straceWorks() && 'strace cannot trace here' }, async () => {
  const root = await tempDir();
  const { src, files } = await phoneExport(root);
  const vault = path.join(root, 'vault');
  const r = traced(root, 'openat', ['archive', src, '--to', vault, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { plan: { newImages: number; duplicates: number; months: { month: string; files: number }[] } };
  // Dated by the EXIF read from the same bytes as the hash: the photo and its copy in April 2019.
  assert.deepEqual(result.plan.months.map((m) => [m.month, m.files]), [['2019-04', 2], ['2024-05', 1]]);
  assert.equal(result.plan.newImages, 2);
  assert.equal(result.plan.duplicates, 1);

  const opens = (file: string) => r.lines.filter((l) => /\bopenat\(/.test(l) && l.includes(`"${file}"`)).length;
  const counts = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, opens(f)]));
  // The screenshot is new: read at scan, then again just before it is stored (checked against its hash).
  assert.equal(counts.screenshot, 2, JSON.stringify(counts));
  // The photo and its copy: each read once at scan, and one of them again to store the picture.
  assert.equal(counts.photo + counts.copy, 3, JSON.stringify(counts));
});

test('scan reads a PNG up to its image data and its last 16 KB, not its whole 64 KB head', { skip: !straceWorks() && 'strace cannot trace here' }, async () => {
  const root = await tempDir();
  const { src, files } = await phoneExport(root);
  const r = traced(root, 'read,pread64', ['scan', src, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const scanned = JSON.parse(r.stdout) as { files: number };
  assert.equal(scanned.files, 3);
  const read = bytesReadPerFile(r.lines);
  const png = read.get(files.screenshot) ?? 0;
  assert.ok(png > 0 && png <= 8 * 1024 + 16 * 1024, `the PNG: ${png} bytes read`);
});
