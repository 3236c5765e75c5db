import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { storedAmong } from '../src/catalog/images.js';
import { archive } from '../src/core/archive.js';
import { ArchivePlanner, type HashedFile } from '../src/core/archive-plan.js';
import { orderedCommitter, writeMonth, type MonthIo } from '../src/engine/month-writer.js';
import type { Skipped } from '../src/core/scan.js';
import { writeZips } from '../src/engine/zip-parts.js';
import { checkZip } from '../src/vault/check-zip.js';
import { openVault } from '../src/vault/vault.js';
import { hashedFile, writeImage } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';
import { listAll } from './helpers/vault.js';

/** The reader threads' work, done here; `changed` names images whose every place changed before they were stored. */
function ioWhere(changed: Set<string>): MonthIo {
  return {
    writeZips: (job) => writeZips(job, async (sources, hash) => (changed.has(hash) ? null : readFile(sources[0].path))),
    check: async (zip) => (await checkZip(zip, { readData: true })).damage,
  };
}

test('an image whose places all changed before it was stored: its places in later slices are skipped, not a failed run', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const file = async (name: string, seed: number): Promise<HashedFile> => {
    const p = path.join(src, name);
    return hashedFile(p, await writeImage(p, seed, '2024-03-05'), src, '2024-03-05');
  };
  const a1 = await file('chat1/a.jpg', 1);
  const b1 = await file('chat1/b.jpg', 2);
  const a2 = { ...a1, path: path.join(src, 'chat2', 'a.jpg') };
  await mkdir(path.dirname(a2.path), { recursive: true });
  await copyFile(a1.path, a2.path);
  const vault = await openVault(path.join(root, 'vault'), { write: true, create: true });
  const skipped: Skipped[] = [];
  try {
    const planner = new ArchivePlanner(storedAmong(vault.db), 'pc');
    // Two slices of one month: the second meets image a again, claimed by the first.
    const first = planner.planMonth('2024-03', [a1, b1]);
    const second = planner.planMonth('2024-03', [a2]);
    assert.deepEqual(second.newImages, []);
    const io = ioWhere(new Set([a1.hash]));
    const options = { io, maxArchiveSize: 2 ** 31, skipped };
    const sealed = [await writeMonth(vault, first, options), await writeMonth(vault, second, options)];
    const commit = orderedCommitter(vault.db, skipped);
    assert.deepEqual(commit(0, sealed[0]), [0]);
    assert.deepEqual(commit(1, sealed[1]), [1]);
  } finally {
    await vault.close();
  }
  assert.deepEqual(skipped.map((s) => [path.relative(src, s.path), s.reason]).sort(), [[path.join('chat1', 'a.jpg'), 'changed'], [path.join('chat2', 'a.jpg'), 'changed']]);
  assert.deepEqual((await listAll(path.join(root, 'vault'))).map((l) => path.relative(src, l.path)), [path.join('chat1', 'b.jpg')]);

  // The next run hashes the places left out, and stores the image now that its bytes hold still.
  const again = await archive({ vault: path.join(root, 'vault'), sources: [src], device: 'pc' });
  assert.deepEqual([again.plan.newImages, again.skipped.length], [1, 0]);
  assert.deepEqual((await listAll(path.join(root, 'vault'))).map((l) => path.relative(src, l.path)).sort(), [path.join('chat1', 'a.jpg'), path.join('chat1', 'b.jpg'), path.join('chat2', 'a.jpg')]);
});
