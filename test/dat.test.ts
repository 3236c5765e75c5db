import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { decodeDat, decodeDatHead, encodeDat3, encodeDatV4, identifyDat } from '../src/media/dat.js';
import { sniffImage } from '../src/media/sniff.js';
import { sampleImage } from './helpers/images.js';
import { CORPUS } from './helpers/vault.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('the real WeChat 3.x samples decode: color.dat to color.jpg byte for byte, test.dat to the catalogued JPEG', async () => {
  const color = await readFile(path.join(CORPUS, 'wechat-dat2picture/sample/color.dat'));
  assert.deepEqual(identifyDat(color.subarray(0, 16), color.subarray(-2)), { format: 'wechat3', xorKey: 0x9f });
  assert.deepEqual(decodeDat(color), await readFile(path.join(CORPUS, 'wechat-dat2picture/sample/color.jpg')));
  const test2016 = await readFile(path.join(CORPUS, 'WechatImageDecoder/test.dat'));
  const decoded = decodeDat(test2016)!;
  assert.equal(identifyDat(test2016)!.xorKey, 0x51);
  assert.equal(sha256(decoded), '7c9ab9c45a703c69efd92e5e37b9defd44880bf8c1abe1ec2131a48ed44716e0');
  assert.equal(await sniffImage(decodeDatHead(test2016.subarray(0, 4096))!), 'jpg');
});

test('3.x keys are confirmed on every magic byte, for JPEG, PNG and GIF and several keys', async () => {
  for (const [format, ext] of [['jpeg', 'jpg'], ['png', 'png'], ['gif', 'gif']] as const) {
    const image = await sampleImage(11, format);
    for (const key of [0x01, 0x51, 0x9f, 0xe3]) {
      const dat = encodeDat3(image, key);
      assert.equal(identifyDat(dat.subarray(0, 16), dat.subarray(-2))?.xorKey, key, `${format} ${key}`);
      assert.deepEqual(decodeDat(dat), image);
      assert.equal(await sniffImage(decodeDatHead(dat.subarray(0, 64))!), ext);
    }
  }
  // Random bytes are not an image in disguise.
  const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 73 + 11) & 0xff));
  assert.equal(identifyDat(noise), null);
  assert.equal(decodeDat(noise), null);
});

test('4.x V1 decodes with the fixed key; V2 only with the account key; both keep the JPEG/PNG tail XOR', async () => {
  for (const format of ['jpeg', 'png'] as const) {
    const image = await sampleImage(5, format, 160);
    const v1 = encodeDatV4(image, 1, { aesLen: 1024, xorLen: 200, xorKey: 0x6b });
    assert.equal(identifyDat(v1)?.format, 'wechat4-v1');
    assert.deepEqual(decodeDat(v1), image);
    assert.equal(await sniffImage(decodeDatHead(v1.subarray(0, 4096))!), format === 'jpeg' ? 'jpg' : 'png');

    const accountKey = 'a1b2c3d4e5f60718';
    const v2 = encodeDatV4(image, 2, { key: Buffer.from(accountKey), aesLen: 1024, xorLen: 300, xorKey: 0x21 });
    assert.equal(identifyDat(v2)?.format, 'wechat4-v2');
    assert.equal(decodeDat(v2), null, 'V2 without the key is not decoded');
    assert.equal(decodeDat(v2, { wechatKey: '0000000000000000' }), null, 'nor with a wrong key');
    assert.deepEqual(decodeDat(v2, { wechatKey: accountKey }), image);
  }
  // aes_len a multiple of 16: PKCS7 adds a whole block.
  const image = await sampleImage(6, 'jpeg');
  assert.deepEqual(decodeDat(encodeDatV4(image, 1, { aesLen: 256, xorLen: 0 })), image);
});
