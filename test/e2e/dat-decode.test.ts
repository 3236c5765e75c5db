import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { encodeDat3, encodeDatV4 } from '../../src/media/dat.js';
import { assertClean, picvault } from '../helpers/cli.js';
import { noisyImage, sampleImage, snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { CORPUS } from '../helpers/vault.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const env = { PICVAULT_DEVICE: 'pc' };

async function put(file: string, bytes: Buffer): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  await utimes(file, new Date(2024, 5, 3), new Date(2024, 5, 3));
  return file;
}

/** A WeChat 4.x month folder of one account. */
const imgDir = (root: string, account: string) => path.join(root, 'xwechat_files', account, 'msg', 'attach', md5(`${account} chat`), '2024-05', 'Img');

/** What restore wrote under back/pc for a source file, by its name there. */
async function restoredBeside(back: string, file: string): Promise<Map<string, Buffer>> {
  const dir = path.join(back, 'pc', path.relative('/', path.dirname(file)));
  const all = await snapshot(dir);
  return new Map([...all].map(([k, v]) => [k, v.bytes]));
}

test('restore --decode writes a 4.x picture only when its tail key is proven: by the account\'s thumbnails, else it stays a .dat', async () => {
  const root = await tempDir();
  const webp = await noisyImage(1, 'webp');
  const thumb = await noisyImage(2, 'jpeg', 48);
  // Account A: a thumbnail whose JPEG end marker confirms the account's tail key, and a WebP (no end marker).
  const a = imgDir(root, 'wxid_a_1f2e');
  await put(path.join(a, `${md5('t')}_t.dat`), encodeDatV4(thumb, 1, { aesLen: 1024, xorLen: 300, xorKey: 0x5a }));
  const aWebp = await put(path.join(a, `${md5('w')}.dat`), encodeDatV4(webp, 1, { aesLen: 1024, xorLen: 300, xorKey: 0x5a }));
  // Account B: the same kind of WebP, and nothing to learn its key from.
  const bWebp = await put(path.join(imgDir(root, 'wxid_b_2e3f'), `${md5('w2')}.dat`), encodeDatV4(await noisyImage(3, 'webp'), 1, { aesLen: 1024, xorLen: 300, xorKey: 0x33 }));
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', path.join(root, 'xwechat_files'), '--to', vault], { env })).code, 0);

  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back, '--decode'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 \.dat file could not be decoded and was restored as it is/);
  const inA = await restoredBeside(back, aWebp);
  assert.deepEqual(inA.get(`${md5('w')}.webp`), webp, 'the WebP, proven by the key its account\'s thumbnail confirmed');
  assert.deepEqual(inA.get(`${md5('t')}_t.jpg`), thumb);
  const inB = await restoredBeside(back, bWebp);
  assert.deepEqual([...inB.keys()], [`${md5('w2')}.dat`], 'never a guessed picture');
  assert.deepEqual(inB.get(`${md5('w2')}.dat`), await readFile(bWebp), 'the raw .dat, byte for byte');
});

test('a V2 file archived without the key and restored with it, given as img_key\'s 32 hex digits, gets its picture\'s name; a key that cannot be one is refused', async () => {
  const root = await tempDir();
  const key = 'k3y0123456789abc';
  const png = await sampleImage(4, 'png', 120);
  const file = await put(path.join(imgDir(root, 'wxid_c_3f4a'), `${md5('v2')}.dat`), encodeDatV4(png, 2, { key: Buffer.from(key), aesLen: 1024, xorLen: 64, xorKey: 0x21 }));
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', path.join(root, 'xwechat_files'), '--to', vault], { env })).code, 0);
  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back, '--decode', '--wechat-key', Buffer.from(key).toString('hex')], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /could not be decoded/);
  assert.deepEqual([...(await restoredBeside(back, file)).entries()], [[`${md5('v2')}.png`, png]]);

  // A key of the right form that is not this account's says so; so does no key at all.
  const wrong = await picvault(['restore', '--from', vault, '--to', path.join(root, 'wrong'), '--decode', '--wechat-key', 'ffffffffffffffff'], { env });
  assert.equal(wrong.code, 0, wrong.stderr);
  assert.match(wrong.stdout, /1 of them is a WeChat 4\.x V2 file that the --wechat-key given does not open/);
  const none = await picvault(['restore', '--from', vault, '--to', path.join(root, 'none'), '--decode'], { env });
  assert.match(none.stdout, /1 of them is a WeChat 4\.x V2 file: decoding needs the account's key, --wechat-key/);
  for (const bad of ['abc', '0123456789abcdef0123']) {
    const refused = await picvault(['restore', '--from', vault, '--to', path.join(root, 'never'), '--decode', '--wechat-key', bad], { env });
    assertClean(refused, 2, /--wechat-key .*16 characters.*32 hex digits/);
  }
  const zh = await picvault(['restore', '--from', vault, '--decode', '--wechat-key', 'not a key', '--lang', 'zh'], { env });
  assertClean(zh, 2, /--wechat-key 需要微信 4\.x 图片密钥/);
});

test('3.x pictures that do not end in their end marker are decoded on restore: a truncated JPEG, a JPEG with a trailer, a HEIC', async () => {
  const root = await tempDir();
  const month = path.join(root, 'WeChat Files', 'wxid_real', 'FileStorage', 'Image', '2021-03');
  const pictures: [string, Buffer, string][] = [
    ['truncated', await readFile(path.join(CORPUS, 'pillow/Tests/images/truncated_jpeg.jpg')), 'jpg'],
    ['trailer', Buffer.concat([await sampleImage(5, 'jpeg'), Buffer.from('\0\0\0\0SEFH\x20\0\0\0SEFT', 'latin1')]), 'jpg'],
    ['heic', await readFile(path.join(CORPUS, 'exif-samples/heic/samplefilehub.heif')), 'heic'],
  ];
  for (const [name, bytes] of pictures) await put(path.join(month, `${name}.dat`), encodeDat3(bytes, 0x9f));
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', path.join(root, 'WeChat Files'), '--to', vault], { env })).code, 0);
  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back, '--decode'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /could not be decoded/);
  const got = await restoredBeside(back, path.join(month, 'x'));
  for (const [name, bytes, ext] of pictures) assert.deepEqual(got.get(`${name}.${ext}`), bytes, name);
});
