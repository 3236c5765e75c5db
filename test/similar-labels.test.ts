import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLabelledSet, thresholdTable } from '../bench/labelled-set.js';
import { mapLimit } from '../src/engine/pool.js';
import { SIMILAR_DEFAULT } from '../src/core/dedupe/similar-index.js';
import { hammingHex } from '../src/media/hamming.js';
import { perceptualHash } from '../src/media/perceptual.js';
import { tempDir } from './helpers/tmp.js';

test('--similar\'s default, on the small labelled set: no wrong pair, and nearly every true one', { timeout: 120_000 }, async () => {
  const set = await buildLabelledSet(await tempDir(), { small: true });
  const hashes = await mapLimit(set, 4, (p) => perceptualHash(p.file));
  assert.equal(hashes.filter((h) => h === null).length, 0, 'every picture decodes');
  const [row] = thresholdTable(set, hashes, SIMILAR_DEFAULT, SIMILAR_DEFAULT).slice(-1);
  assert.equal(row.threshold, SIMILAR_DEFAULT);
  assert.equal(row.precision, 1, `no burst frame or unrelated picture is called similar (${row.falseNearMiss} near misses, ${row.falseUnrelated} unrelated)`);
  assert.ok(row.recall >= 0.95, `recall ${row.recall}`);

  // EXIF rotation is applied: the picture stored turned, with orientation 6, looks like the original.
  const at = (variant: string) => hashes[set.findIndex((p) => p.family === 'photo-0' && p.variant === variant)]!;
  assert.ok(hammingHex(at('original').phash, at('exif-rotated').phash) <= 8);
  assert.equal(at('exif-rotated').width, at('original').width, 'width as shown, after the orientation');
  // A WeChat-recompressed copy is found; a burst frame of the same scene is not.
  assert.ok(hammingHex(at('original').phash, at('wechat').phash) <= SIMILAR_DEFAULT);
  assert.ok(hammingHex(at('original').phash, at('burst-2').phash) > SIMILAR_DEFAULT);
});
