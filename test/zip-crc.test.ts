import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import crc32 from 'crc-32';
import { MANIFEST_ENTRY } from '../src/vault/manifest.js';
import { ZipWriter } from '../src/vault/zip-writer.js';
import { tempDir } from './helpers/tmp.js';
import { allZipToolsAccept } from './helpers/zip-tools.js';

// Importing the zip writer is what swaps archiver's CRC-32 (see zip-writer.ts).
void ZipWriter;

/** The pure-JavaScript CRC-32 the crc-32 package shipped with: the reference the swap must match. */
const reference = (bytes: Uint8Array, seed?: number) => {
  const table = Int32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? -306674912 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let c = (seed ?? 0) ^ -1;
  for (const b of bytes) c = (c >>> 8) ^ table[(c ^ b) & 0xff];
  return c ^ -1;
};

test("archiver's CRC-32 gives the crc-32 package's numbers, signed, whole or chained from a seed", () => {
  const bytes = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 2_654_435_761) >>> 24));
  for (const size of [0, 1, 15, 64, 65, 4_096, 70_001]) {
    const part = bytes.subarray(0, size);
    assert.equal(crc32.buf(part), reference(part), `${size} bytes`);
  }
  const seed = crc32.buf(bytes.subarray(0, 1_000));
  assert.equal(crc32.buf(bytes.subarray(1_000), seed), reference(bytes), 'chained over two pieces');
  assert.ok(crc32.buf(bytes) < 0 || reference(bytes) >= 0, 'signed as the package returns it');
});

test("archiver's CRC-32 runs well past zlib's on a camera photo's bytes (the zip thread's largest pass after the copy)", () => {
  const photo = Buffer.from(Array.from({ length: 4 << 20 }, (_, i) => (i * 2_654_435_761) >>> 24));
  const best = (f: () => void) => {
    let fastest = Infinity;
    for (let round = 0; round < 7; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 4; i++) f();
      fastest = Math.min(fastest, Number(process.hrtime.bigint() - start));
    }
    return fastest;
  };
  const zlibCrc = (zlib as unknown as { crc32: (b: Uint8Array) => number }).crc32;
  const ours = best(() => crc32.buf(photo));
  const zlibs = best(() => zlibCrc(photo));
  assert.ok(ours * 1.5 < zlibs, `crc-32 as archiver calls it took ${(ours / 4e6).toFixed(2)} ms for 4 MB, zlib's ${(zlibs / 4e6).toFixed(2)} ms`);
});

test('a zip of entries large and small, its CRCs from the swap, passes unzip -t, 7z t and zipfile', async () => {
  const zip = path.join(await tempDir(), 'crc.zip');
  const w = await ZipWriter.create(zip);
  const big = Buffer.from(Array.from({ length: 3 << 20 }, (_, i) => (i * 40_503) >>> 8));
  await w.add('big.bin', big, new Date(2024, 0, 1));
  await w.add('small.bin', Buffer.from('a few bytes'), new Date(2024, 0, 1));
  // Deflated entries' CRCs are chained chunk by chunk from a seed (crc32-stream).
  await w.add(MANIFEST_ENTRY, Buffer.from('{"deflated": true}'.repeat(50_000)), new Date(2024, 0, 1), { deflate: true });
  await w.finish();
  await allZipToolsAccept(zip);
});
