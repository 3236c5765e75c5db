import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { hash64, hashBytes, hashFile, streamHash64 } from '../src/media/hash.js';
import { tempDir } from './helpers/tmp.js';

// xxh64, seed 0, as every vault names its images: the reference values (xxHash's own for the empty
// input; the others from xxhash-wasm, the implementation before this one).
const PATTERN = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => Number((BigInt(i) * 2654435761n) & 0xffffffffn) >>> 24));
const KNOWN: [string, Buffer][] = [
  ['ef46db3751d8e999', Buffer.alloc(0)],
  ['d24ec4f1a98c6e5b', Buffer.from('a')],
  ['44bc2cf5ad770999', Buffer.from('abc')],
  ['fc4aa44e4c19d879', PATTERN],
];

test('an image\'s identity is xxh64 of its bytes, the same at once, streamed in any pieces, and from a file', async () => {
  for (const [hex, bytes] of KNOWN) {
    assert.equal(hash64(bytes), hex);
    assert.equal(await hashBytes(bytes), hex);
    // A piece of a larger buffer hashes as the bytes it shows, not as the buffer under it.
    assert.equal(hash64(Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]).subarray(2, 2 + bytes.length)), hex);
    for (const piece of [1, 7, 4096, 1 << 17]) {
      const h = streamHash64();
      for (let at = 0; at < bytes.length; at += piece) h.update(bytes.subarray(at, at + piece));
      assert.equal(h.digest(), hex, `pieces of ${piece}`);
    }
  }
  const file = path.join(await tempDir(), 'pattern.bin');
  await writeFile(file, PATTERN);
  assert.deepEqual(await hashFile(file), { hash: 'fc4aa44e4c19d879', size: PATTERN.length });
});
