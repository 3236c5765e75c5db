import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import { normaliseExifStamp } from '../src/media/exif-date.js';
import { fastDateTimeOriginal } from '../src/media/exif-fast.js';
import { corpusFiles } from './helpers/vault.js';

/** What exifr, the reference, says: the date picvault used before the direct read. */
async function exifrDate(bytes: Buffer): Promise<string | null> {
  try {
    return normaliseExifStamp((await exifr.parse(bytes, { pick: ['DateTimeOriginal'], reviveValues: false, translateValues: false }))?.DateTimeOriginal);
  } catch {
    return null;
  }
}

const isJpegOrTiff = (b: Buffer) => (b[0] === 0xff && b[1] === 0xd8) || ['II*\0', 'MM\0*'].includes(b.toString('latin1', 0, 4));

test('the direct read of DateTimeOriginal agrees with exifr on every JPEG and TIFF of the corpus, whole and by its head', async () => {
  let answered = 0;
  let files = 0;
  for (const file of await corpusFiles()) {
    const whole = await readFile(file);
    if (!isJpegOrTiff(whole)) continue;
    files++;
    for (const bytes of [whole, whole.subarray(0, 64 * 1024), whole.subarray(0, 8 * 1024), whole.subarray(0, 100)]) {
      const fast = fastDateTimeOriginal(bytes);
      if (fast === undefined) continue; // cannot tell: exifr reads it, as before
      answered++;
      assert.equal(normaliseExifStamp(fast), await exifrDate(bytes), `${file}, ${bytes.length} bytes`);
    }
  }
  assert.ok(files >= 40, `${files} JPEG and TIFF files in the corpus`);
  // It must answer for most camera files, or it saves nothing (a read that never answers would pass the loop above).
  assert.ok(answered >= 60, `answered ${answered} times`);
});

test('a camera-made photo\'s date is read directly, in either byte order; a broken or missing block is left to exifr', async () => {
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'picvault' }, IFD2: { DateTimeOriginal: '2023:07:14 09:30:05' } })
    .toBuffer();
  assert.equal(fastDateTimeOriginal(photo), '2023:07:14 09:30:05');
  assert.equal(await exifrDate(photo), '2023-07-14 09:30:05');
  const tiff = await sharp(photo).tiff().withExif({ IFD2: { DateTimeOriginal: '2021:01:02 03:04:05' } }).toBuffer();
  assert.equal(normaliseExifStamp(fastDateTimeOriginal(tiff)), await exifrDate(tiff));

  const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).jpeg().toBuffer();
  assert.equal(fastDateTimeOriginal(plain), undefined, 'no EXIF block');
  // The block cut off inside its directories: cannot tell, never a guess.
  const app1 = photo.indexOf('Exif\0\0');
  assert.equal(fastDateTimeOriginal(photo.subarray(0, app1 + 30)), undefined);
  // A pointer past the end of the block.
  const bent = Buffer.from(photo);
  const tiffAt = app1 + 6;
  const le = bent.toString('latin1', tiffAt, tiffAt + 2) === 'II';
  if (le) bent.writeUInt32LE(0xfffffff0, tiffAt + 4);
  else bent.writeUInt32BE(0xfffffff0, tiffAt + 4);
  assert.equal(fastDateTimeOriginal(bent), undefined);
});
