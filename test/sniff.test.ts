import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HEAD_BYTES, sniffImage, sniffWithFileType } from '../src/media/sniff.js';
import { CORPUS, corpusFiles } from './helpers/vault.js';
import { sampleImage } from './helpers/images.js';

test('the JPEG, PNG and GIF fast path gives file-type\'s answer for every corpus file and sharp-made image', async () => {
  const files = await corpusFiles(CORPUS);
  assert.ok(files.length > 50, `corpus found at ${CORPUS}`);
  const heads: [string, Buffer][] = [];
  for (const f of files) heads.push([path.relative(CORPUS, f), (await readFile(f)).subarray(0, HEAD_BYTES)]);
  for (const format of ['jpeg', 'png', 'gif', 'webp'] as const) heads.push([`sharp ${format}`, (await sampleImage(7, format)).subarray(0, HEAD_BYTES)]);
  let fast = 0;
  const damagedPng: string[] = [];
  for (const [name, head] of heads) {
    const expected = await sniffWithFileType(head);
    const got = await sniffImage(head);
    // The one deliberate difference: a PNG whose signature is whole but a chunk is damaged is an
    // image to archive, where file-type, walking the chunks, gives up.
    if (expected === null && got === 'png') damagedPng.push(name);
    else assert.equal(got, expected, name);
    if (expected === 'jpg' || expected === 'gif' || expected === 'png') fast++;
  }
  assert.ok(fast > 30, 'the corpus exercises the fast path');
  assert.deepEqual(damagedPng, ['file-type/fixture/fixture-corrupt.png', 'pillow/Tests/images/broken.png']);
});

test('heads that only start like an image are not taken for one', async () => {
  for (const head of [Buffer.from([0xff, 0xd8]), Buffer.from('\x89PNG\r\n'), Buffer.from('GIF'), Buffer.from('GIF7'), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0xff, 0xd8, 0xff, 0xf7, 0, 0, 0, 0]), Buffer.alloc(0)]) {
    assert.equal(await sniffImage(head), await sniffWithFileType(head), JSON.stringify([...head]));
  }
});
