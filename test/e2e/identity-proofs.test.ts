import assert from 'node:assert/strict';
import { cp, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import type { Manifest, ManifestLocation } from '../../src/vault/manifest.js';
import { picvault, type Run } from '../helpers/cli.js';
import { flipByteInEntry, rewriteZip } from '../helpers/damage.js';
import { putDat, restoredAt, w3Dir, w4Dir } from '../helpers/identity.js';
import { sampleImage, snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { dropCatalogue, vaultZips } from '../helpers/vault.js';

const env = { PICVAULT_DEVICE: 'pc' };

/** A 3.x .dat, a 4.x V1 .dat and a phone's copy of the 3.x one's picture, archived from device pc. */
async function archivedDats() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const jpeg = await sampleImage(61, 'jpeg', 120);
  const w3 = await putDat(path.join(w3Dir(src, 'pc', 'wxid_p'), 'a.dat'), encodeDat3(jpeg, 0x9f), new Date(2024, 4, 7, 8));
  const w4 = await putDat(path.join(w4Dir(src, 'wxid_p_4b4b'), 'b.dat'), encodeDatV4(await sampleImage(62, 'png', 120), 1, { aesLen: 1024, xorLen: 64, xorKey: 0x5a }), new Date(2024, 4, 8, 9));
  const phone = await putDat(path.join(src, 'phone', 'IMG_0007.jpg'), jpeg, new Date(2024, 4, 9, 10));
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault, w3, w4, phone, original: await snapshot(src) };
}

/** Sets a place's catalogued recipe field, as a damaged catalogue could hold it. */
function damageRecipe(vault: string, file: string, field: string, value: unknown): void {
  const db = new Database(path.join(vault, 'picvault.db'));
  try {
    // locations is a view (migrations/0013), through which SQLite counts no changes: counted as returned.
    const changed = db.prepare(`UPDATE locations SET recipe = json_set(recipe, '$.${field}', json(?)) WHERE path = ? RETURNING id`).all(JSON.stringify(value), file);
    assert.equal(changed.length, 1);
  } finally {
    db.close();
  }
}

const assertNoCrash = (r: Run, label: string) => {
  assert.doesNotMatch(r.stderr, /unexpectedly|\n\s+at |TypeError/, `${label}: ${r.stderr}`);
  assert.notEqual(r.code, 1, `${label}: ${r.stderr}`);
};

test('clean deletes .dat files whose pictures it read back and whose rebuilds it proved, each picture read once; restore in place gives every file back', async () => {
  const { src, vault, original } = await archivedDats();
  const cleaned = await picvault(['clean', src, '--vault', vault, '--yes', '--json'], { env });
  assert.equal(cleaned.code, 0, cleaned.stderr);
  const result = JSON.parse(cleaned.stdout);
  assert.equal(result.deleted, 3);
  assert.equal(result.readBack.pictures, 2, 'the 3.x .dat and the phone\'s JPEG are one picture');
  assert.deepEqual([...(await snapshot(src)).keys()], [], 'every original went');

  const back = await picvault(['restore', '--from', vault], { env });
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(await snapshot(src), original, 'each file its own bytes and time again');
});

test('a recipe that does not rebuild its .dat: verify --read-data names the place, clean keeps it, restore writes nothing there; reindex reads recipes again from the archives', async () => {
  const { root, src, vault, w3, w4, original } = await archivedDats();
  damageRecipe(vault, w3, 'xorKey', 0x9e);

  const verified = await picvault(['verify', '--vault', vault, '--read-data', '--json']);
  assert.equal(verified.code, 4, verified.stderr);
  assert.deepEqual(JSON.parse(verified.stdout).notRebuilt.map((p: { path: string }) => p.path), [w3]);
  const said = await picvault(['verify', '--vault', vault, '--read-data']);
  assert.match(said.stderr, /1 WeChat \.dat is not rebuilt exactly by the picture stored for it .*\n.*a\.dat/);
  assert.doesNotMatch(said.stderr, /DAMAGE in 0|repair/, 'no archive is damaged: no damage heading, no repair to run');

  const backTo = path.join(root, 'back');
  const restored = await picvault(['restore', '--from', vault, '--to', backTo], { env });
  assert.equal(restored.code, 3, restored.stderr);
  assert.match(restored.stderr, /a\.dat: the stored picture does not rebuild this \.dat exactly/);
  assert.equal(await stat(restoredAt(backTo, 'pc', w3)).catch(() => null), null, 'nothing written in its place');
  assert.deepEqual(await readFile(restoredAt(backTo, 'pc', w4)), original.get(path.relative(src, w4))!.bytes);

  const cleaned = await picvault(['clean', src, '--vault', vault, '--yes', '--json'], { env });
  assert.equal(cleaned.code, 3, cleaned.stderr);
  const result = JSON.parse(cleaned.stdout);
  assert.equal(result.deleted, 2);
  assert.deepEqual(result.kept.map((k: { path: string; reason: string }) => [k.path, k.reason]), [[w3, 'not-rebuilt']]);
  assert.deepEqual(await readFile(w3), original.get(path.relative(src, w3))!.bytes, 'the .dat stays');

  // The archives hold the recipe as archive proved it: a catalogue rebuilt from them alone has it right.
  await dropCatalogue(vault);
  assert.equal((await picvault(['reindex', '--vault', vault])).code, 0);
  const listed = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(listed.find((p) => p.path === w3).recipeFormat, 'wechat3');
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
  assert.equal((await picvault(['clean', src, '--vault', vault, '--yes'], { env })).code, 0);
  // The run log went with the catalogue: the folder to restore into in place is named.
  const back = await picvault(['restore', '--from', vault, '--root', src], { env });
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(await snapshot(src), original);
});

/** Recipes no archive writes: each makes its manifest not fit the schema. */
const HOSTILE: [string, (l: ManifestLocation) => unknown][] = [
  ['a header that is not hex', (l) => ({ ...l, recipe: { ...l.recipe, header: 'zz'.repeat(15) } })],
  ['a header that is not a V1 or V2 header', (l) => ({ ...l, recipe: { ...l.recipe, header: '0708563308' + (l.recipe as { header: string }).header.slice(10) } })],
  ['a V2 header in a V1 recipe', (l) => ({ ...l, recipe: { ...l.recipe, header: '07085632' + (l.recipe as { header: string }).header.slice(8) } })],
  ['an encrypted head of the wrong length', (l) => ({ ...l, recipe: { ...l.recipe, encryptedHead: Buffer.alloc(16).toString('base64') } })],
  ['an XOR key that is not a byte', (l) => ({ ...l, recipe: { ...l.recipe, xorKey: 256 } })],
  ['a format no WeChat writes', (l) => ({ ...l, recipe: { ...l.recipe, format: 'wechat5' } })],
  ['a recipe without its file hash', ({ fileHash: _f, ...l }) => l],
  ['a file hash that is not one', (l) => ({ ...l, fileHash: '../../etc/passwd' })],
];

test('hostile recipes in a crafted manifest mark the zip damaged; reindex, verify and restore go on, and no wrong byte is written', async () => {
  const { root, src, vault, w4, original } = await archivedDats();
  const editW4 = (edit: (l: ManifestLocation) => unknown) => (m: Manifest) => ({ ...m, locations: m.locations.map((l) => (l.path === w4 ? edit(l) : l)) });
  for (const [i, [label, edit]] of HOSTILE.entries()) {
    const copy = path.join(root, `v${i}`);
    await cp(vault, copy, { recursive: true });
    const [zip] = await vaultZips(copy);
    await rewriteZip(zip, { manifest: editW4(edit) });
    await dropCatalogue(copy);
    const r = await picvault(['reindex', '--vault', copy, '--json']);
    assertNoCrash(r, `${label}: reindex`);
    assert.equal(r.code, 4, `${label}: ${r.stderr}`);
    assert.match(JSON.stringify(JSON.parse(r.stdout).damaged), /manifest does not fit its schema/, label);
    const v = await picvault(['verify', '--vault', copy, '--read-data']);
    assertNoCrash(v, `${label}: verify`);
    assert.equal(v.code, 4, label);
    const back = path.join(root, `back${i}`);
    assertNoCrash(await picvault(['restore', '--from', copy, '--to', back], { env }), `${label}: restore`);
    for (const [rel, f] of await snapshot(path.join(back, 'pc')).catch(() => new Map<string, { bytes: Buffer }>())) {
      assert.deepEqual(f.bytes, original.get(path.relative(src, path.join('/', rel)))?.bytes, `${label}: ${rel} is its original`);
    }
  }

  // A recipe of the right shape that does not rebuild its file: the zip is whole, the place is never written.
  const copy = path.join(root, 'wrong-key');
  await cp(vault, copy, { recursive: true });
  await rewriteZip((await vaultZips(copy))[0], { manifest: editW4((l) => ({ ...l, recipe: { ...l.recipe, xorKey: 0x5b } })) });
  await dropCatalogue(copy);
  assert.equal((await picvault(['reindex', '--vault', copy])).code, 0);
  const v = await picvault(['verify', '--vault', copy, '--read-data', '--json']);
  assert.equal(v.code, 4);
  assert.deepEqual(JSON.parse(v.stdout).notRebuilt.map((p: { path: string }) => p.path), [w4]);
  const back = path.join(root, 'back-wrong-key');
  const r = await picvault(['restore', '--from', copy, '--to', back], { env });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(await stat(restoredAt(back, 'pc', w4)).catch(() => null), null);
});

test('repair takes a damaged picture again from this device\'s .dat files, decoded with their recipes, and keeps their places rebuildable', async () => {
  const { root, src, vault, w3, w4, phone, original } = await archivedDats();
  // The phone's copy is gone: the .dat files are the only good copies of their pictures.
  await rm(phone);
  const [zip] = await vaultZips(vault);
  await flipByteInEntry(zip);
  const r = await picvault(['repair', '--vault', vault, '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const [repaired] = JSON.parse(r.stdout).archives;
  assert.deepEqual(repaired.restored, { zip: 1, place: 1 }, 'the rotten picture from its .dat');
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back], { env })).code, 0);
  for (const f of [w3, w4, phone]) assert.deepEqual(await readFile(restoredAt(back, 'pc', f)), original.get(path.relative(src, f))!.bytes, f);
});
