import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { inspectBytes, inspectFile } from '../src/media/inspect.js';
import { HEAD_BYTES } from '../src/media/sniff.js';
import { sampleImage } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';
import { CORPUS, corpusFiles } from './helpers/vault.js';

/** What the whole 64 KB head says of a file: the answer a shorter read must give too. */
async function fromWholeHead(file: string, source: 'folder' | 'wechat') {
  const bytes = await readFile(file);
  return inspectBytes(bytes.subarray(0, HEAD_BYTES), { path: file, source }, {}, bytes.subarray(Math.max(0, bytes.length - 2)));
}

/** A JPEG with comment segments of `pad` bytes in all between its start and its EXIF block. */
function withCommentFirst(jpeg: Buffer, pad: number): Buffer {
  const comments: Buffer[] = [];
  for (let left = pad; left > 0; left -= 60_000) {
    const n = Math.min(left, 60_000);
    const comment = Buffer.alloc(4 + n, 0x20);
    comment.writeUInt16BE(0xfffe, 0);
    comment.writeUInt16BE(n + 2, 2);
    comments.push(comment);
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...comments, jpeg.subarray(2)]);
}

/** A PNG chunk (its CRC left zero: nothing here checks it). */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, data, Buffer.alloc(4)]);
}

/** A PNG with `before` chunks put between its header chunk and the rest (its image data). */
function pngWith(png: Buffer, before: Buffer[]): Buffer {
  const afterHeader = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, afterHeader), ...before, png.subarray(afterHeader)]);
}

// Scan reads a plain folder's files' heads: first 8 KB, then the rest of the 64 KB head only when
// the first part cannot tell (readHead). The answer must be the whole head's, for every file.
test('a file inspected from the first part of its head is typed and dated as from the whole head', async () => {
  const dir = await tempDir();
  const dated = await sampleImage(3, 'jpeg', 200, '2019:04:02 10:30:00');
  const made: [string, Buffer][] = [
    ['exif-first.jpg', dated],
    // The EXIF block past the first 8 KB: read on, or its date is lost.
    ['exif-late.jpg', withCommentFirst(dated, 12_000)],
    ['exif-past-head.jpg', withCommentFirst(dated, 70_000)],
    ['plain.jpg', await sampleImage(4, 'jpeg', 400)],
  ];
  // PNGs: the head is cut at the image data (headNeeded), so an eXIf before it must still be found.
  const tiff = (await sharp(dated).metadata()).exif!.subarray(6);
  const png = await sampleImage(5, 'png', 300);
  made.push(
    ['exif-first.png', pngWith(png, [chunk('eXIf', tiff)])],
    ['exif-late.png', pngWith(png, [chunk('tEXt', Buffer.alloc(12_000, 0x41)), chunk('eXIf', tiff)])],
    ['plain.png', png],
  );
  for (const [name, bytes] of made) await writeFile(path.join(dir, name), bytes);
  const files = [...made.map(([name]) => path.join(dir, name)), ...(await corpusFiles(CORPUS))];
  let dates = 0;
  for (const file of files) {
    for (const source of ['folder', 'wechat'] as const) {
      const size = (await readFile(file)).length;
      const got = await inspectFile({ path: file, size, source });
      assert.deepEqual(got, await fromWholeHead(file, source), `${path.relative(CORPUS, file)} (${source})`);
      if (got.exifDate) dates++;
    }
  }
  for (const name of ['exif-late.jpg', 'exif-first.png', 'exif-late.png']) {
    const file = path.join(dir, name);
    assert.equal((await inspectFile({ path: file, size: (await readFile(file)).length, source: 'folder' })).exifDate, '2019-04-02 10:30:00', name);
  }
  assert.ok(dates > 40, `${dates} dated inspections`);
});
