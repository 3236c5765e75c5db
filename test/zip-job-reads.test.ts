import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { hash64 } from '../src/media/hash.js';
import { ReadPool } from '../src/engine/read-pool.js';
import type { JobImage } from '../src/engine/zip-parts.js';
import { ZipReader } from '../src/vault/zip-reader.js';
import { tempDir } from './helpers/tmp.js';
import { allZipToolsAccept } from './helpers/zip-tools.js';

/**
 * The reader thread's own reads when it writes a plan's zips (read-worker.ts): a picture is
 * hashed piece by piece as it is read, and stored only when its bytes still hash to what the plan
 * says. Pictures of several pieces (camera-sized) and of one, changed in their last piece, grown,
 * and intact behind a changed place.
 */
test('a zip job stores only bytes that still hash as planned, read piece by piece, from the first place that holds them', async () => {
  const root = await tempDir();
  const dir = path.join(root, 'vault', '2024-03');
  await mkdir(dir, { recursive: true });
  const picture = (seed: number, size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 2_654_435_761 + seed * 97) >>> 24));
  const place = async (name: string, bytes: Buffer) => {
    const p = path.join(root, 'cache', name);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, bytes);
    return { path: p, size: bytes.length };
  };
  const whole = picture(1, 3_600_000 + 7);
  const small = picture(2, 1_000);
  const changed = picture(3, 700_000);
  const grown = picture(4, 600_000);
  const behind = picture(5, 2_000_000);
  const image = (hash: string, size: number, sources: JobImage['sources']): JobImage => ({ hash, size, ext: 'jpg', decodedExt: null, sources, date: '2024-03-05 12:00:00' });
  const images = [
    image(hash64(whole), whole.length, [await place('a.jpg', whole)]),
    image(hash64(small), small.length, [await place('b.jpg', small)]),
    image(hash64(changed), changed.length, [await place('c.jpg', changed)]),
    image(hash64(grown), grown.length, [await place('d.jpg', grown)]),
    image(hash64(behind), behind.length, [await place('e1.jpg', picture(6, behind.length)), await place('e2.jpg', behind)]),
  ];
  // After the plan hashed them: c.jpg's last byte changes (same size), d.jpg grows by a byte.
  const c = images[2].sources[0].path;
  const cBytes = await readFile(c);
  cBytes[cBytes.length - 1] ^= 0xff;
  await writeFile(c, cBytes);
  await appendFile(images[3].sources[0].path, Buffer.from([0]));
  const locations = images.map((img) => ({ hash: img.hash, path: img.sources.at(-1)!.path, size: img.size, mtimeMs: 0, device: 'pc', source: 'folder' as const }));

  const pool = new ReadPool({});
  try {
    const { parts, dropped } = await pool.writeZips({ dir, month: '2024-03', images, locations: locations as never, maxArchiveSize: 1 << 30, forceZip64: false });
    assert.deepEqual(dropped.sort(), [images[2].hash, images[3].hash].sort(), 'the changed and the grown picture are not stored');
    assert.equal(parts.length, 1);
    await allZipToolsAccept(parts[0].tmp);
    const reader = await ZipReader.open(parts[0].tmp);
    try {
      const stored = parts[0].manifest.images;
      assert.deepEqual(stored.map((i) => i.hash), [images[0].hash, images[1].hash, images[4].hash]);
      for (const [i, bytes] of [whole, small, behind].entries()) assert.ok((await reader.readEntry(stored[i].entry)).equals(bytes), `${stored[i].entry} holds the planned bytes`);
    } finally {
      await reader.close();
    }
  } finally {
    await pool.close();
  }
});
