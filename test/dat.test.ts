import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { AccountXorKeys } from '../src/media/account-keys.js';
import {
  confirmedTailKey, tryDecodeDat, decodeDatHead, decodeDatProven, encodeDat3, encodeDatV4, identifyDat, rebuildDat, recipeProblem, wechatAesKeys,
  wechatKeyProblem, xorInPlace, type ProvenDat,
} from '../src/media/dat.js';
import { hashBytes } from '../src/media/hash.js';
import { sniffImage } from '../src/media/sniff.js';
import { noisyImage, sampleImage } from './helpers/images.js';
import { CORPUS } from './helpers/vault.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const corpus = (f: string) => readFile(path.join(CORPUS, f));

/** The proof issue 20's archive will check: the recipe rebuilds the very bytes, by xxh64. */
async function assertRebuilds(got: ProvenDat | null, dat: Buffer, picture: Buffer, label: string): Promise<void> {
  assert.ok(got, `${label}: proven`);
  assert.deepEqual(got.picture, picture, `${label}: the picture`);
  assert.deepEqual(JSON.parse(JSON.stringify(got.recipe)), got.recipe, `${label}: the recipe is plain JSON`);
  assert.equal(await hashBytes(rebuildDat(got.picture, got.recipe)), await hashBytes(dat), `${label}: rebuilt byte for byte`);
}

test('the real WeChat 3.x samples decode, proven: color.dat to color.jpg byte for byte, test.dat to the catalogued JPEG', async () => {
  const color = await corpus('wechat-dat2picture/sample/color.dat');
  assert.deepEqual(identifyDat(color.subarray(0, 16)), { format: 'wechat3', xorKey: 0x9f });
  const decoded = await decodeDatProven(color);
  await assertRebuilds(decoded, color, await corpus('wechat-dat2picture/sample/color.jpg'), 'color.dat');
  assert.deepEqual(decoded!.recipe, { format: 'wechat3', xorKey: 0x9f });
  assert.equal(decoded!.pictureExt, 'jpg');
  const test2016 = await corpus('WechatImageDecoder/test.dat');
  const got = await decodeDatProven(test2016);
  assert.equal(got?.recipe.xorKey, 0x51);
  assert.equal(sha256(got!.picture), '7c9ab9c45a703c69efd92e5e37b9defd44880bf8c1abe1ec2131a48ed44716e0');
  assert.equal(await sniffImage(decodeDatHead(test2016.subarray(0, 4096))!), 'jpg');
});

test('3.x keys are confirmed on every signature byte, for JPEG, PNG, GIF, WebP and several keys', async () => {
  for (const [format, ext] of [['jpeg', 'jpg'], ['png', 'png'], ['gif', 'gif'], ['webp', 'webp']] as const) {
    const image = await sampleImage(11, format);
    for (const key of [0x01, 0x51, 0x9f, 0xe3]) {
      const dat = encodeDat3(image, key);
      assert.equal(identifyDat(dat.subarray(0, 16))?.xorKey, key, `${format} ${key}`);
      await assertRebuilds(await decodeDatProven(dat), dat, image, `${format} ${key}`);
      assert.equal(await sniffImage(decodeDatHead(dat.subarray(0, 64))!), ext);
    }
  }
  // Random bytes are not an image in disguise, nor is a "BM" or "\xff\xd8\xff" with nothing behind it.
  const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 73 + 11) & 0xff));
  assert.equal(identifyDat(noise), null);
  assert.equal(await decodeDatProven(noise), null);
  assert.equal(identifyDat(encodeDat3(Buffer.from('BM\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a', 'latin1'), 0x33)), null);
  assert.equal(identifyDat(encodeDat3(Buffer.from([0xff, 0xd8, 0xff, 0x12, 0, 0]), 0x33)), null);
});

test('3.x pictures that do not end in their end marker decode: data after it, a truncated JPEG, a HEIC', async () => {
  const jpeg = await sampleImage(12, 'jpeg');
  const samsungTrailer = Buffer.concat([jpeg, Buffer.from('\0\0\0\0SEFH\x20\0\0\0SEFT', 'latin1')]);
  const ultraHdr = Buffer.concat([jpeg, await sampleImage(13, 'jpeg', 32), Buffer.from([0, 0, 0])]);
  const cases: [string, Buffer, string][] = [
    ['maker trailer after the end marker', samsungTrailer, 'jpg'],
    ['a second image after the first', ultraHdr, 'jpg'],
    ['truncated JPEG (corpus)', await corpus('pillow/Tests/images/truncated_jpeg.jpg'), 'jpg'],
    ['HEIC (corpus)', await corpus('exif-samples/heic/samplefilehub.heif'), 'heic'],
  ];
  for (const [label, picture, ext] of cases) {
    const dat = encodeDat3(picture, 0x9f);
    const got = await decodeDatProven(dat);
    await assertRebuilds(got, dat, picture, label);
    assert.equal(got!.pictureExt, ext, label);
  }
});

test('4.x V1 decodes with the fixed key; V2 only with the account key; the JPEG and PNG end markers prove the tail', async () => {
  for (const format of ['jpeg', 'png', 'gif'] as const) {
    const image = await sampleImage(5, format, 160);
    const v1 = encodeDatV4(image, 1, { aesLen: 1024, xorLen: 200, xorKey: 0x6b });
    assert.equal(identifyDat(v1)?.format, 'wechat4-v1');
    const got = await decodeDatProven(v1);
    await assertRebuilds(got, v1, image, `V1 ${format}`);
    assert.equal(got!.recipe.format, 'wechat4-v1');
    assert.equal(await confirmedTailKey(v1), 0x6b);

    const accountKey = 'a1b2c3d4e5f60718';
    const v2 = encodeDatV4(image, 2, { key: Buffer.from(accountKey), aesLen: 1024, xorLen: 300, xorKey: 0x21 });
    assert.equal(identifyDat(v2)?.format, 'wechat4-v2');
    assert.equal(await decodeDatProven(v2), null, 'V2 without the key is not decoded');
    assert.equal(await decodeDatProven(v2, { aesKeys: wechatAesKeys('0000000000000000') }), null, 'nor with a wrong key');
    await assertRebuilds(await decodeDatProven(v2, { aesKeys: wechatAesKeys(accountKey) }), v2, image, `V2 ${format}`);
  }
  // aes_len a multiple of 16: PKCS7 adds a whole block. No tail: nothing to confirm.
  const image = await sampleImage(6, 'jpeg');
  const aligned = encodeDatV4(image, 1, { aesLen: 256, xorLen: 0 });
  await assertRebuilds(await decodeDatProven(aligned), aligned, image, 'aligned');
});

test('4.x pictures without an end marker are proven only by their account key, never guessed', async () => {
  const webp = await noisyImage(7, 'webp');
  const truncated = await corpus('pillow/Tests/images/truncated_jpeg.jpg');
  for (const [label, picture] of [['WebP', webp], ['truncated JPEG', truncated]] as const) {
    const dat = encodeDatV4(picture, 1, { aesLen: 1024, xorLen: 400, xorKey: 0x5a });
    assert.equal(await tryDecodeDat(dat), 'needs-account-key', label);
    assert.equal(await decodeDatProven(dat), null, `${label}: not proven without the account's key`);
    assert.equal(await confirmedTailKey(dat), null, `${label}: teaches no key`);
    await assertRebuilds(await decodeDatProven(dat, { accountXorKey: 0x5a }), dat, picture, `${label} with the account key`);
  }
  // A JPEG whose own end marker says one key while its account says another: neither is trusted.
  const jpeg = await sampleImage(8, 'jpeg', 160);
  const dat = encodeDatV4(jpeg, 1, { aesLen: 1024, xorLen: 400, xorKey: 0x5a });
  assert.equal(await decodeDatProven(dat, { accountXorKey: 0x11 }), null);
  await assertRebuilds(await decodeDatProven(dat, { accountXorKey: 0x5a }), dat, jpeg, 'agreeing keys');
});

test('an account key is learned from the files that confirm it, and two that disagree teach nothing', () => {
  const keys = new AccountXorKeys();
  assert.equal(keys.get('wxid_a_1f2e'), undefined);
  keys.learn('wxid_a_1f2e', 0x5a);
  keys.learn('wxid_a_1f2e', 0x5a);
  keys.learn('wxid_b_0000', 0x11);
  assert.equal(keys.get('wxid_a_1f2e'), 0x5a);
  keys.learn('wxid_b_0000', 0x12);
  assert.equal(keys.get('wxid_b_0000'), undefined);
  assert.equal(keys.get(null), undefined);
});

test('wxgf (WeChat\'s HEVC wrapper) inside a 4.x file is not a picture picvault can write: it stays a .dat', async () => {
  const wxgf = Buffer.concat([Buffer.from('wxgf'), Buffer.from([0x04, 0, 0, 0]), await sampleImage(9, 'jpeg', 64)]);
  const dat = encodeDatV4(wxgf, 1, { aesLen: 1024, xorLen: 100, xorKey: 0x5a });
  assert.equal(await decodeDatProven(dat, { accountXorKey: 0x5a }), null);
  assert.equal(await sniffImage(decodeDatHead(dat.subarray(0, 4096))!), null);
});

test('--wechat-key in the forms people have: 16 characters, their 32 hex digits, or a 32-hex md5 whose first 16 are the key', async () => {
  const key = 'k3y0123456789abc';
  const image = await sampleImage(10, 'jpeg', 96);
  const v2 = encodeDatV4(image, 2, { key: Buffer.from(key), aesLen: 1024, xorLen: 64, xorKey: 0x21 });
  const md5Form = `${key}${'f'.repeat(16)}`.replace(/[^0-9a-f]/g, '0');
  const md5Key = md5Form.slice(0, 16);
  const v2md5 = encodeDatV4(image, 2, { key: Buffer.from(md5Key), aesLen: 1024, xorLen: 64, xorKey: 0x21 });
  for (const [given, dat] of [[key, v2], [Buffer.from(key).toString('hex'), v2], [Buffer.from(key).toString('hex').toUpperCase(), v2], [md5Form, v2md5]] as const) {
    assert.equal(wechatKeyProblem(given), null, given);
    await assertRebuilds(await decodeDatProven(dat, { aesKeys: wechatAesKeys(given) }), dat, image, given);
  }
  assert.equal(wechatKeyProblem('xyz'), 'wechatKey.bad');
  assert.equal(wechatKeyProblem('0123456789abcdef0123'), 'wechatKey.hexLength');
  assert.equal(wechatKeyProblem('k3y0 23456789abc'), 'wechatKey.bad');
});

test('a recipe that does not fit its picture is refused, never turned into a file', async () => {
  const image = await sampleImage(14, 'jpeg', 96);
  const dat = encodeDatV4(image, 1, { aesLen: 1024, xorLen: 64, xorKey: 0x21 });
  const { recipe, picture } = (await decodeDatProven(dat))!;
  assert.throws(() => rebuildDat(picture.subarray(0, 100), recipe));
  assert.throws(() => rebuildDat(picture, { ...recipe, header: '0011' } as typeof recipe));
});

test('XOR four bytes at a time gives what a byte at a time gives, at every alignment and length', () => {
  const backing = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 5) & 0xff));
  for (let offset = 0; offset < 8; offset++) {
    for (let length = 0; length < 24; length++) {
      const bytes = backing.subarray(offset, offset + length);
      const expected = Buffer.from(Array.from(bytes, (b) => b ^ 0x9f));
      assert.deepEqual(encodeDat3(bytes, 0x9f), expected, `offset ${offset}, length ${length}`);
      const inPlace = Buffer.from(backing).subarray(offset, offset + length);
      xorInPlace(inPlace, 0x9f);
      assert.deepEqual(inPlace, expected, `in place, offset ${offset}, length ${length}`);
    }
  }
});

test('a recipe read from a manifest or the catalogue is checked for its shape before any use', async () => {
  const v1 = (await decodeDatProven(encodeDatV4(await sampleImage(15, 'jpeg', 96), 1, { aesLen: 100, xorLen: 32, xorKey: 0x21 })))!.recipe as { header: string; encryptedHead: string };
  assert.equal(recipeProblem(v1), null);
  assert.equal(recipeProblem({ format: 'wechat3', xorKey: 0x9f }), null);
  const bad: [unknown, RegExp][] = [
    [null, /not an object/],
    [{ format: 'wechat3', xorKey: 256 }, /not a byte/],
    [{ format: 'wechat3', xorKey: '9f' }, /not a byte/],
    [{ format: 'wechat3', xorKey: 1, extra: true }, /unexpected fields/],
    [{ ...v1, format: 'wechat5' }, /unknown format/],
    [{ ...v1, header: `${v1.header.slice(0, 28)}0A` }, /lowercase hex/],
    [{ ...v1, header: v1.header.slice(2) }, /15 bytes/],
    [{ ...v1, header: '0708563308' + v1.header.slice(10) }, /not a wechat4-v1 header/],
    [{ ...v1, format: 'wechat4-v2' }, /not a wechat4-v2 header/],
    [{ ...v1, encryptedHead: 'not base64!' }, /not base64/],
    [{ ...v1, encryptedHead: Buffer.alloc(16).toString('base64') }, /length does not match/],
  ];
  for (const [recipe, why] of bad) assert.match(recipeProblem(recipe) ?? 'accepted', why, JSON.stringify(recipe));
});
