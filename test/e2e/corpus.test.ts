import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isPlausibleStamp } from '../../src/media/exif-date.js';
import { picvault } from '../helpers/cli.js';
import { snapshot } from '../helpers/images.js';
import { cr3, raf, tiffWithLateDirectory } from '../helpers/raw-files.js';
import { tempDir } from '../helpers/tmp.js';
import { CORPUS } from '../helpers/vault.js';

/** SOURCES.md's table of files: path, exiftool's type, EXIF DateTimeOriginal (null for "-"). */
async function sources(): Promise<{ file: string; type: string; dto: string | null }[]> {
  const text = await readFile(path.join(CORPUS, 'SOURCES.md'), 'utf8');
  const rows: { file: string; type: string; dto: string | null }[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`(.+)`$/.exec(cells[1] ?? '')?.[1];
    if (!file || !/^\d+$/.test(cells[2])) continue;
    rows.push({ file, type: cells[3], dto: cells[5] === '-' ? null : cells[5].replace(/^(\d{4}):(\d{2}):(\d{2})/, '$1-$2-$3') });
  }
  return rows;
}

/** The entry type picvault gives each of exiftool's types (an animated AVIF exiftool calls MP4). */
const EXT_OF_TYPE: Record<string, string> = {
  JPEG: 'jpg', MPO: 'jpg', PNG: 'png', APNG: 'png', GIF: 'gif', HEIC: 'heic', HEIF: 'heic', HEIFS: 'heic',
  AVIF: 'avif', 'AVIF sequence (ftyp avis)': 'avif', MP4: 'avif', WEBP: 'webp', 'Extended WEBP': 'webp', BMP: 'bmp',
};

test('the real-image corpus end to end: every image archived and typed, every EXIF date as SOURCES.md says, every .dat decoded to its known picture', async () => {
  const files = await sources();
  assert.equal(files.length, 106, 'SOURCES.md lists 106 files');
  const root = await tempDir();
  const vault = path.join(root, 'vault');
  const a = await picvault(['archive', CORPUS, '--to', vault], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(a.code, 0, a.stderr);
  const rows = new Map<string, { hash: string; ext: string; recipeFormat: string | null; exifDate: string | null; dateRule: string; month: string }>();
  for (const line of (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n')) {
    const row = JSON.parse(line);
    rows.set(path.relative(CORPUS, row.path).split(path.sep).join('/'), row);
  }
  const now = Date.now();
  for (const f of files) {
    const row = rows.get(f.file);
    if (f.type === 'JSON') {
      assert.equal(row, undefined, `${f.file}: a JSON file named .webp is not an image`);
      continue;
    }
    assert.ok(row, `${f.file} archived`);
    // A WeChat .dat (exiftool's "data") is stored as the picture it hides (SPEC "Picture identity").
    assert.equal(row.ext, f.file.endsWith('.dat') ? 'jpg' : EXT_OF_TYPE[f.type], `${f.file}: type`);
    assert.equal(row.exifDate, f.dto, `${f.file}: EXIF DateTimeOriginal`);
    const byExif = f.dto !== null && isPlausibleStamp(f.dto, now);
    assert.equal(row.dateRule, byExif ? 'exif' : 'file-time', `${f.file}: date rule`);
    if (byExif) assert.equal(row.month, f.dto!.slice(0, 7), `${f.file}: month`);
  }
  assert.equal(rows.size, files.length - 1, 'nothing else archived');
  assert.deepEqual([...rows].filter(([, r]) => r.recipeFormat !== null).map(([file, r]) => [file, r.recipeFormat]).sort(), [
    ['WechatImageDecoder/test.dat', 'wechat3'], ['wechat-dat2picture/sample/color.dat', 'wechat3'],
  ]);
  // color.dat hides the corpus's own color.jpg: one picture, stored once.
  assert.equal(rows.get('wechat-dat2picture/sample/color.dat')!.hash, rows.get('wechat-dat2picture/sample/color.jpg')!.hash);

  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back, '--decode', '--path', '*.dat'], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /could not be decoded/);
  const mirror = (rel: string) => path.join(back, 'pc', path.relative('/', path.join(CORPUS, rel)));
  assert.deepEqual(await readFile(mirror('wechat-dat2picture/sample/color.jpg')), await readFile(path.join(CORPUS, 'wechat-dat2picture/sample/color.jpg')));
  const sha = createHash('sha256').update(await readFile(mirror('WechatImageDecoder/test.jpg'))).digest('hex');
  assert.equal(sha, '7c9ab9c45a703c69efd92e5e37b9defd44880bf8c1abe1ec2131a48ed44716e0');
});

test('TIFFs with their directory after the pixels and camera RAW in a photo folder: archived, typed by format, dated by EXIF, restored byte for byte', async () => {
  const root = await tempDir();
  const photos = path.join(root, 'photos');
  await mkdir(photos);
  const date = '2009:10:11 12:13:14';
  const files: [string, Buffer, string][] = [
    ['scan.tif', tiffWithLateDirectory({ exifDate: date }), 'tif'],
    ['DSC_0001.NEF', tiffWithLateDirectory({ exifDate: date, make: 'NIKON CORPORATION', photometric: 32803 }), 'nef'],
    ['L1000001.DNG', tiffWithLateDirectory({ exifDate: date, make: 'Leica', dngVersion: true, photometric: 32803 }), 'dng'],
    ['IMG_0001.CR3', cr3(date), 'cr3'],
    ['DSCF0001.RAF', await raf(date), 'raf'],
  ];
  for (const [name, bytes] of files) await writeFile(path.join(photos, name), bytes);
  const vault = path.join(root, 'vault');
  const scan = JSON.parse((await picvault(['scan', photos, '--json'])).stdout);
  assert.deepEqual(scan.sources[0].months, [{ month: '2009-10', files: files.length, bytes: files.reduce((n, [, b]) => n + b.length, 0) }], 'scan dates them all by EXIF');
  assert.equal((await picvault(['archive', photos, '--to', vault], { env: { PICVAULT_DEVICE: 'pc' } })).code, 0);
  const rows = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => [path.basename(r.path), r.ext, r.month, r.dateRule]).sort(), files.map(([name, , ext]) => [name, ext, '2009-10', 'exif']).sort());
  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back])).code, 0);
  const restored = await snapshot(path.join(back, 'pc', path.relative('/', photos)));
  for (const [name, bytes] of files) assert.deepEqual(restored.get(name)?.bytes, bytes, name);
});
