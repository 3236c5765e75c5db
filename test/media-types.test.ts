import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import sharp from 'sharp';
import { inspectBytes, inspectFile } from '../src/media/inspect.js';
import { noisyImage } from './helpers/images.js';
import { cr3, pngExifAfterImageData, raf, rw2, tiffWithLateDirectory } from './helpers/raw-files.js';
import { tempDir } from './helpers/tmp.js';
import { CORPUS } from './helpers/vault.js';

const run = promisify(execFile);
const DATE = '2009:10:11 12:13:14';
const STAMP = '2009-10-11 12:13:14';

/** exiftool's FileType and DateTimeOriginal for each file: the independent judge of the fixtures. */
async function exiftool(files: string[]): Promise<Map<string, { type: string; date: string | null }>> {
  const { stdout } = await run('exiftool', ['-j', '-FileType', '-DateTimeOriginal', ...files], { maxBuffer: 16 << 20 });
  const rows = JSON.parse(stdout) as { SourceFile: string; FileType: string; DateTimeOriginal?: string }[];
  return new Map(rows.map((r) => [path.basename(r.SourceFile), { type: r.FileType, date: r.DateTimeOriginal ?? null }]));
}

/** Each file as archive sees it (all its bytes) and as scan does (its head and tail only): both must agree. */
async function inspectBoth(file: string) {
  const bytes = await readFile(file);
  const whole = await inspectBytes(bytes, { path: file, source: 'folder' });
  const head = await inspectFile({ path: file, size: bytes.length, source: 'folder' });
  assert.deepEqual(head, whole, `${path.basename(file)}: the head tells what the whole file does`);
  return whole;
}

test('a TIFF whose first directory lies after its pixels (as libtiff and Photoshop write it) is an image, with its EXIF date', async () => {
  const dir = await tempDir();
  const cases: [string, Buffer, string | null][] = [
    ['late.tif', tiffWithLateDirectory({ exifDate: DATE }), STAMP],
    ['late-undated.tif', tiffWithLateDirectory({}), null],
    ['small.tiff', tiffWithLateDirectory({ exifDate: DATE, size: 40 }), STAMP],
  ];
  for (const [name, bytes] of cases) await writeFile(path.join(dir, name), bytes);
  const judged = await exiftool(cases.map(([name]) => path.join(dir, name)));
  for (const [name, bytes, date] of cases) {
    assert.equal((await sharp(bytes).metadata()).format, 'tiff', `${name}: sharp reads it`);
    assert.deepEqual(judged.get(name), { type: 'TIFF', date: date && DATE }, `${name}: exiftool agrees on the fixture`);
    assert.deepEqual(await inspectBoth(path.join(dir, name)), { ext: 'tif', decodedExt: null, exifDate: date }, name);
  }
});

test('camera RAW: every format is a picture, typed by its format and dated by its EXIF, as exiftool says', async () => {
  const dir = await tempDir();
  const raw = (options: Parameters<typeof tiffWithLateDirectory>[0]) => tiffWithLateDirectory({ exifDate: DATE, photometric: 32803, ...options });
  const cases: [string, Buffer, string, string][] = [
    ['a.nef', raw({ make: 'NIKON CORPORATION' }), 'nef', 'NEF'],
    ['a.iiq', raw({ make: 'Phase One' }), 'iiq', 'IIQ'],
    ['a.pef', raw({ make: 'PENTAX' }), 'pef', 'PEF'],
    ['a.srw', raw({ make: 'SAMSUNG' }), 'srw', 'SRW'],
    ['a.arw', raw({ make: 'SONY' }), 'arw', 'ARW'],
    ['a.dng', raw({ make: 'Leica', dngVersion: true }), 'dng', 'DNG'],
    // A DNG whose directory is in reach is told by its DNGVersion tag, whatever its name.
    ['dng-without-extension', raw({ make: 'Leica', dngVersion: true, size: 20 }), 'dng', 'DNG'],
    ['a.cr2', raw({ make: 'Canon', afterHeader: Buffer.from('CR\x02\0\0\0\0\0', 'latin1') }), 'cr2', 'CR2'],
    // ORF and RW2 cameras write their directories at the start.
    ['a.orf', raw({ make: 'OLYMPUS IMAGING CORP.', magic: 'IIRO', size: 20 }), 'orf', 'ORF'],
    ['a.rw2', rw2(DATE), 'rw2', 'RW2'],
    ['a.cr3', cr3(DATE), 'cr3', 'CRX'],
    ['a.raf', await raf(DATE), 'raf', 'RAF'],
  ];
  for (const [name, bytes] of cases) await writeFile(path.join(dir, name), bytes);
  const judged = await exiftool(cases.map(([name]) => path.join(dir, name)));
  for (const [name, , ext, exiftoolType] of cases) {
    assert.deepEqual(judged.get(name), { type: exiftoolType, date: DATE }, `${name}: exiftool agrees on the fixture`);
    assert.deepEqual(await inspectBoth(path.join(dir, name)), { ext, decodedExt: null, exifDate: STAMP }, name);
  }
});

test('EXIF DateTimeOriginal from every container: JPEG, TIFF, PNG eXIf before or after the image data, WebP, HEIC and AVIF', async () => {
  const dir = await tempDir();
  const withDate = (format: 'jpeg' | 'png' | 'webp' | 'avif', size = 64) =>
    sharp({ create: { width: size, height: size, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
      .withExif({ IFD0: { Make: 'picvault test' }, IFD2: { DateTimeOriginal: DATE } } as never)[format]().toBuffer();
  const cases: [string, Buffer, string][] = [
    ['a.jpg', await withDate('jpeg'), 'jpg'],
    ['a.tif', tiffWithLateDirectory({ exifDate: DATE }), 'tif'],
    ['before.png', await withDate('png'), 'png'],
    // Large enough that scan's head and tail do not meet: the eXIf chunk is in the tail.
    ['after.png', pngExifAfterImageData(await withDate('png', 300)), 'png'],
    ['a.webp', await withDate('webp', 300), 'webp'],
    ['a.avif', await withDate('avif'), 'avif'],
    ['flower.webp (corpus)', await readFile(path.join(CORPUS, 'pillow/Tests/images/flower.webp')), 'webp'],
    ['fixture-heic.heic (corpus)', await readFile(path.join(CORPUS, 'file-type/fixture/fixture-heic.heic')), 'heic'],
  ];
  const expected: Record<string, string> = { 'flower.webp (corpus)': '2003-12-14 12:01:44', 'fixture-heic.heic (corpus)': '2017-06-06 17:00:02' };
  for (const [name, bytes] of cases) await writeFile(path.join(dir, name), bytes);
  assert.ok((await readFile(path.join(dir, 'after.png'))).length > 128 * 1024);
  const judged = await exiftool(cases.map(([name]) => path.join(dir, name)));
  for (const [name, , ext] of cases) {
    const want = expected[name] ?? STAMP;
    assert.equal(judged.get(name)?.date, want.replace(/-/g, ':').replace(/:(\d\d) /, ':$1 '), `${name}: exiftool agrees on the fixture`);
    assert.deepEqual(await inspectBoth(path.join(dir, name)), { ext, decodedExt: null, exifDate: want }, name);
  }
  // A WebP and a PNG without EXIF load no parser and give no date.
  for (const format of ['webp', 'png'] as const) {
    const file = path.join(dir, `plain.${format}`);
    await writeFile(file, await noisyImage(1, format));
    assert.equal((await inspectBoth(file)).exifDate, null, format);
  }
});
