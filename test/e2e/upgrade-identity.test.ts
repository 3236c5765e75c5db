import assert from 'node:assert/strict';
import { copyFile, readFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import { hashBytes } from '../../src/media/hash.js';
import { picvault } from '../helpers/cli.js';
import { putDat, restoredAt, w3Dir, w4Dir, zipImageEntries } from '../helpers/identity.js';
import { sampleImage, snapshot } from '../helpers/images.js';
import { vaultBeforeIdentity } from '../helpers/old-vault.js';
import { tempDir } from '../helpers/tmp.js';

const env = { PICVAULT_DEVICE: 'pc' };

test('a vault from before picture identity: its raw .dat entries verify, restore, decode and clean as before, and archiving the same .dat files again stores nothing twice', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const jpeg = await sampleImage(81, 'jpeg', 120);
  const png = await sampleImage(82, 'png', 120);
  const a = await putDat(path.join(w3Dir(src, 'pc', 'wxid_old'), 'a.dat'), encodeDat3(jpeg, 0x9f));
  const b = await putDat(path.join(w3Dir(src, 'pc', 'wxid_old'), 'b.dat'), encodeDat3(png, 0x51));
  const c = await putDat(path.join(w4Dir(src, 'wxid_old_5c5c'), 'c.dat'), encodeDatV4(jpeg, 1, { aesLen: 1024, xorLen: 64, xorKey: 0x5a }));
  const vault = path.join(root, 'vault');
  await vaultBeforeIdentity(vault, [src], 'pc');
  const raw = await Promise.all([a, b, c].map(async (f) => `${await hashBytes(await readFile(f))}.dat`));
  assert.deepEqual([...(await zipImageEntries(vault)).keys()].sort(), raw.sort(), 'the old release kept each .dat as its bytes');

  // The catalogue is brought up to date by the first command; every old place is its own file.
  const verified = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  const listed = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(listed.map((p) => [p.ext, p.fileHash, p.recipeFormat]), [['dat', null, null], ['dat', null, null], ['dat', null, null]]);

  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back], { env })).code, 0);
  for (const f of [a, b, c]) assert.deepEqual(await readFile(restoredAt(back, 'pc', f)), await readFile(f));
  const decoded = path.join(root, 'decoded');
  assert.equal((await picvault(['restore', '--from', vault, '--to', decoded, '--decode'], { env })).code, 0);
  assert.deepEqual(await readFile(restoredAt(decoded, 'pc', a).replace(/dat$/, 'jpg')), jpeg);
  assert.deepEqual(await readFile(restoredAt(decoded, 'pc', b).replace(/dat$/, 'png')), png);

  // The same files read again (their times changed) and a forwarded copy: their bytes are safe
  // already, so no picture is stored beside them, and the new places are recorded as raw ones.
  for (const f of [a, b, c]) await utimes(f, new Date(2024, 5, 9), new Date(2024, 5, 9));
  const forwarded = path.join(w3Dir(src, 'pc', 'wxid_old'), 'a-forwarded.dat');
  await copyFile(a, forwarded);
  await utimes(forwarded, new Date(2024, 5, 10), new Date(2024, 5, 10));
  const again = await picvault(['archive', src, '--to', vault, '--json'], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).plan.newImages, 0);
  assert.deepEqual([...(await zipImageEntries(vault)).keys()].sort(), raw.sort());
  const places = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(places.length, 4);
  assert.ok(places.every((p) => p.ext === 'dat' && p.fileHash === null), 'raw places, each its own file');

  const original = await snapshot(src);
  const cleaned = await picvault(['clean', src, '--vault', vault, '--yes', '--json'], { env });
  assert.equal(cleaned.code, 0, cleaned.stderr);
  assert.equal(JSON.parse(cleaned.stdout).deleted, 4);
  assert.equal((await picvault(['restore', '--from', vault], { env })).code, 0);
  assert.deepEqual(await snapshot(src), original, 'back in place, byte for byte, with their times');
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
});
