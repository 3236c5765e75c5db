import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { test } from 'node:test';
import { SyncFileSink } from '../src/vault/sync-file-sink.js';
import { tempDir } from './helpers/tmp.js';

test('small chunks gathered and large ones written straight keep the file, and what onChunk sees, in order', async () => {
  const file = path.join(await tempDir(), 'out.bin');
  const seen: Buffer[] = [];
  const sink = new SyncFileSink(file, (chunk) => seen.push(Buffer.from(chunk)));
  const sent: Buffer[] = [];
  // Header-sized pieces around data of every size class: below, at and past the gathering buffer,
  // and past the pieces a large chunk is hashed and written in.
  const sizes = [2, 4, 8, 20, 65_535, 2, 4, 65_536, 4, 200_000, 1, 30_000, 40_000, 8, 600_001, 3];
  sizes.forEach((size, i) => {
    const chunk = Buffer.alloc(size, i + 1);
    sent.push(chunk);
    sink.write(chunk);
  });
  sink.end();
  await once(sink, 'close');
  const expected = Buffer.concat(sent);
  assert.ok((await readFile(file)).equals(expected), 'the file holds every chunk in order');
  assert.ok(Buffer.concat(seen).equals(expected), 'onChunk saw every byte once, in file order');
  assert.ok(seen.length < sizes.length, `small chunks went out together (${seen.length} pieces for ${sizes.length} chunks)`);
});

test('a chunk copied into the gathering buffer frees its memory at once', async () => {
  const file = path.join(await tempDir(), 'reuse.bin');
  const sink = new SyncFileSink(file);
  const slot = Buffer.alloc(100);
  const parts: Buffer[] = [];
  for (let i = 0; i < 5; i++) {
    slot.fill(i + 1);
    const written = sink.whenWritten(slot);
    sink.write(slot);
    await written;
    parts.push(Buffer.alloc(100, i + 1));
    slot.fill(0xee); // reused before the file is closed, as the zip writer reuses a reader's buffer
  }
  sink.end();
  await once(sink, 'close');
  assert.ok((await readFile(file)).equals(Buffer.concat(parts)));
});
