import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { findDuplicates } from '../../src/core/dedupe.js';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import { hashBytes } from '../../src/media/hash.js';
import { picvault } from '../helpers/cli.js';
import { noisyImage, sampleImage } from '../helpers/images.js';
import { putDat, restoredAt, w3Dir, w4Dir, zipImageEntries } from '../helpers/identity.js';
import { tempDir } from '../helpers/tmp.js';
import { allZipToolsAccept } from '../helpers/zip-tools.js';
import { CORPUS } from '../helpers/vault.js';

const run = promisify(execFile);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const V2_KEY = 'k3y0123456789abc';

test('one picture on a phone, on a PC with key 0x9F and on one with key 0x51: stored once as <hash>.jpg, three places, each restored byte for byte with its time', async () => {
  const root = await tempDir();
  // A real WeChat 3.x file (2016, key 0x51) and the JPEG it hides, which a phone keeps as it is.
  const real = await readFile(path.join(CORPUS, 'WechatImageDecoder/test.dat'));
  const jpeg = encodeDat3(real, 0x51);
  const phone = await putDat(path.join(root, 'phone', 'DCIM', 'Camera', 'IMG_0001.jpg'), jpeg, new Date(2024, 4, 1, 9));
  const pc1 = await putDat(path.join(w3Dir(root, 'pc1', 'wxid_one'), `${md5('one')}.dat`), encodeDat3(jpeg, 0x9f), new Date(2024, 4, 2, 10));
  const pc2 = await putDat(path.join(w3Dir(root, 'pc2', 'wxid_two'), `${md5('two')}.dat`), real, new Date(2024, 4, 3, 11));
  const vault = path.join(root, 'vault');
  for (const [device, file] of [['phone', phone], ['pc1', pc1], ['pc2', pc2]] as const) {
    const r = await picvault(['archive', path.join(root, device), '--to', vault, '--device-name', device, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).plan.newImages, device === 'phone' ? 1 : 0, `${file}: the picture is in the vault already`);
  }

  const hash = await hashBytes(jpeg);
  const entries = await zipImageEntries(vault);
  assert.deepEqual([...entries.keys()], [`${hash}.jpg`], 'one entry, the picture, named as a viewer opens it');
  const [zip] = entries.values();
  await allZipToolsAccept(zip);
  assert.deepEqual((await run('unzip', ['-p', zip, `${hash}.jpg`], { encoding: 'buffer', maxBuffer: 1 << 24 })).stdout, jpeg);
  const py = await run('python3', ['-c', 'import sys, zipfile; b = zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]); print(b[:3].hex(), len(b))', zip, `${hash}.jpg`]);
  assert.equal(py.stdout.trim(), `ffd8ff ${jpeg.length}`);

  const shown = JSON.parse((await picvault(['catalog', 'show', hash, '--vault', vault, '--json'])).stdout);
  const places = Object.fromEntries(shown.locations.map((l: { device: string }) => [l.device, l]));
  assert.deepEqual(Object.keys(places).sort(), ['pc1', 'pc2', 'phone']);
  assert.deepEqual([places.phone.fileHash, places.phone.recipeFormat], [null, null]);
  for (const [device, file] of [['pc1', pc1], ['pc2', pc2]]) {
    assert.deepEqual([places[device].fileHash, places[device].recipeFormat, places[device].size], [await hashBytes(await readFile(file)), 'wechat3', real.length]);
  }
  const text = await picvault(['catalog', 'show', hash, '--vault', vault]);
  assert.match(text.stdout, new RegExp(`picture ${hash}: jpg`));
  assert.match(text.stdout, new RegExp(`its file: ${places.pc1.fileHash}, .*a WeChat 3\\.x \\.dat, rebuilt from the picture`));
  assert.match((await picvault(['catalog', 'show', hash, '--vault', vault, '--lang', 'zh'])).stdout, /原文件：[0-9a-f]{16}，.*微信 3\.x \.dat，由图片重建/);

  const back = path.join(root, 'back');
  const restored = await picvault(['restore', '--from', vault, '--to', back]);
  assert.equal(restored.code, 0, restored.stderr);
  for (const [device, file] of [['phone', phone], ['pc1', pc1], ['pc2', pc2]]) {
    const got = restoredAt(back, device, file);
    assert.deepEqual(await readFile(got), await readFile(file), `${device}: its own bytes`);
    assert.equal((await stat(got)).mtimeMs, (await stat(file)).mtimeMs, `${device}: its own time`);
  }
  // The web page's duplicates (the vault alone): one picture at three places, two of them other files: the same picture.
  const { groups } = await findDuplicates({ sources: [], vault });
  assert.deepEqual(groups.map((g) => [g.tier, g.members.map((m) => [m.device, m.picture === hash]).sort()]), [['same-picture', [['pc1', true], ['pc2', true], ['phone', true]]]]);
});

test('4.x V1 and V2 (archived with the key) are stored as pictures, rebuilt at restore with no key; --decode writes the stored pictures', async () => {
  const root = await tempDir();
  const jpeg = await sampleImage(41, 'jpeg', 140);
  const png = await sampleImage(42, 'png', 120);
  const dir = w4Dir(root, 'wxid_four_1a2b');
  const v1 = await putDat(path.join(dir, `${md5('v1')}.dat`), encodeDatV4(jpeg, 1, { aesLen: 1024, xorLen: 128, xorKey: 0x5a }));
  const v2 = await putDat(path.join(dir, `${md5('v2')}.dat`), encodeDatV4(png, 2, { key: Buffer.from(V2_KEY), aesLen: 1024, xorLen: 64, xorKey: 0x5a }));
  const vault = path.join(root, 'vault');
  const archived = await picvault(['archive', path.join(root, 'xwechat_files'), '--to', vault, '--device-name', 'pc', '--wechat-key', V2_KEY]);
  assert.equal(archived.code, 0, archived.stderr);
  assert.deepEqual([...(await zipImageEntries(vault)).keys()].sort(), [`${await hashBytes(jpeg)}.jpg`, `${await hashBytes(png)}.png`].sort());

  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back])).code, 0);
  for (const file of [v1, v2]) assert.deepEqual(await readFile(restoredAt(back, 'pc', file)), await readFile(file), path.basename(file));

  const pictures = path.join(root, 'pictures');
  const decoded = await picvault(['restore', '--from', vault, '--to', pictures, '--decode']);
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.doesNotMatch(decoded.stdout, /could not be decoded/);
  assert.deepEqual(await readFile(restoredAt(pictures, 'pc', v1).replace(/\.dat$/, '.jpg')), jpeg);
  assert.deepEqual(await readFile(restoredAt(pictures, 'pc', v2).replace(/\.dat$/, '.png')), png);
});

test('what is not proven stays a raw .dat: V2 without its key, an unknown variant, a 4.x WebP whose account confirms no tail key; the account\'s thumbnail proves another\'s', async () => {
  const root = await tempDir();
  const v2 = await putDat(path.join(w4Dir(root, 'wxid_v2_1111'), `${md5('v2')}.dat`), encodeDatV4(await sampleImage(51, 'png'), 2, { key: Buffer.from(V2_KEY), aesLen: 1024, xorLen: 64, xorKey: 0x21 }));
  const unknown = await putDat(path.join(w3Dir(root, 'pc', 'wxid_odd'), `${md5('odd')}.dat`), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) & 0xff)));
  const lonely = await putDat(path.join(w4Dir(root, 'wxid_lonely_2222'), `${md5('w')}.dat`), encodeDatV4(await noisyImage(52, 'webp'), 1, { aesLen: 1024, xorLen: 300, xorKey: 0x33 }));
  // Another account's thumbnail (a JPEG ends in FF D9) confirms its key, which proves its WebP.
  const taught = w4Dir(root, 'wxid_taught_3333');
  await putDat(path.join(taught, `${md5('t')}_t.dat`), encodeDatV4(await noisyImage(53, 'jpeg', 48), 1, { aesLen: 1024, xorLen: 300, xorKey: 0x44 }));
  const webp = await noisyImage(54, 'webp');
  await putDat(path.join(taught, `${md5('w2')}.dat`), encodeDatV4(webp, 1, { aesLen: 1024, xorLen: 300, xorKey: 0x44 }));
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', root, '--to', vault, '--device-name', 'pc'])).code, 0);

  const entries = [...(await zipImageEntries(vault)).keys()].sort();
  const raw = await Promise.all([v2, unknown, lonely].map(async (f) => `${await hashBytes(await readFile(f))}.dat`));
  assert.deepEqual(entries.filter((e) => e.endsWith('.dat')).sort(), raw.sort(), 'the unproven, stored as their own bytes');
  assert.ok(entries.includes(`${await hashBytes(webp)}.webp`), 'the WebP its account\'s thumbnail proved');
  assert.equal(entries.length, 5);

  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back])).code, 0);
  for (const file of [v2, unknown, lonely]) assert.deepEqual(await readFile(restoredAt(back, 'pc', file)), await readFile(file));
});

test('dedupe sees a .dat the vault stores as its picture as that picture, its own bytes apart: the same picture, not identical', async () => {
  const root = await tempDir();
  const jpeg = await sampleImage(43, 'jpeg', 120);
  const dat = await putDat(path.join(w3Dir(root, 'laptop', 'wxid_l'), `${md5('l')}.dat`), encodeDat3(jpeg, 0x9f));
  await putDat(path.join(root, 'pc', 'DCIM', 'IMG_0043.jpg'), jpeg);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', path.join(root, 'laptop'), '--to', vault, '--device-name', 'laptop'])).code, 0);
  const r = await picvault(['dedupe', path.join(root, 'pc'), '--vault', vault, '--json'], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(r.code, 0, r.stderr);
  const { groups, tiers } = JSON.parse(r.stdout);
  assert.deepEqual([groups.length, groups[0].tier, tiers.identical.files, tiers['same-picture'].files], [1, 'same-picture', 0, 1]);
  const laptop = groups[0].members.find((m: { where: string }) => m.where === 'vault');
  assert.deepEqual([laptop.path, laptop.hash, laptop.picture], [dat, await hashBytes(await readFile(dat)), await hashBytes(jpeg)]);
});
