import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import { picvault } from '../helpers/cli.js';
import { archiveKilledAtManyMoments, assertAllRestored } from '../helpers/crash.js';
import { putDat, w3Dir, w4Dir } from '../helpers/identity.js';
import { sampleImage, snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

test('archive of WeChat .dat files killed with SIGKILL at many moments: no bad zip under a final name, the re-run stores each picture once, every place restores to its own bytes', { timeout: 600_000 }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const when = (i: number) => new Date(2024, 4, 1 + (i % 28), 12);
  // 60 pictures as 3.x .dat (key 0x9F), 30 of them also as a phone's JPEG, 20 also as 4.x V1 .dat.
  for (let i = 0; i < 60; i++) {
    const jpeg = await sampleImage(700 + i, 'jpeg', 64);
    await putDat(path.join(w3Dir(src, 'pc', 'wxid_crash'), `${i}.dat`), encodeDat3(jpeg, 0x9f), when(i));
    if (i < 30) await putDat(path.join(src, 'phone', 'DCIM', `IMG_${i}.jpg`), jpeg, when(i));
    if (i < 20) await putDat(path.join(w4Dir(src, 'wxid_crash_4a4a'), `${i}.dat`), encodeDatV4(jpeg, 1, { aesLen: 256, xorLen: 64, xorKey: 0x5a }), when(i));
  }
  const original = await snapshot(src);
  const vault = path.join(root, 'vault');
  // Small parts: many zips, renames and commits to be killed between.
  const args = ['archive', src, '--to', vault, '--device-name', 'pc', '--max-archive-size', '8KB', '--quiet'];

  await archiveKilledAtManyMoments(args, path.join(root, 'probe'), 10);
  assert.deepEqual(await snapshot(src), original, 'archive never changes the originals');

  const final = await picvault(args);
  assert.equal(final.code, 0, final.stderr);
  const verified = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  const months = JSON.parse((await picvault(['catalog', 'months', '--vault', vault, '--json'])).stdout);
  assert.deepEqual([months.totals.images, months.totals.locations], [60, 110], 'each picture stored once, every place recorded');

  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back]);
  assert.equal(r.code, 0, r.stderr);
  await assertAllRestored(original, src, back, 'pc');
});
