import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readExifDate } from '../src/media/exif-date.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapMB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

// SPEC "Performance": memory under 300 MB whatever the cache size. A plain folder's EXIF dates are
// read at scan, one photo after another: nothing may stay behind per photo.
test('reading the EXIF dates of thousands of photos keeps nothing per photo', async () => {
  const photo = await readFile(path.join(CORPUS, 'exif-samples/jpg/Canon_40D.jpg'));
  assert.equal(await readExifDate(photo), '2008-05-30 15:56:01');
  const before = heapMB();
  for (let i = 0; i < 4000; i++) await readExifDate(photo);
  const grown = heapMB() - before;
  assert.ok(grown < 4, `the heap grew by ${grown.toFixed(1)} MB over 4 000 photos`);
});
