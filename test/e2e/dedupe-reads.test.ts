import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { encodeDat3, encodeDatV4, V4_HEADER } from '../../src/media/dat.js';
import { BIN, userEnv } from '../helpers/cli.js';
import { corpusColor, put } from '../helpers/duplicates.js';
import { sampleImage } from '../helpers/images.js';
import { bytesReadPerFile, straceWorks } from '../helpers/strace.js';
import { tempDir } from '../helpers/tmp.js';

/** A WeChat 3.x image folder of a chat, in plain ASCII so strace prints its paths as they are. */
const wechat3 = (root: string, chat: string, name: string) => path.join(root, 'WeChat Files', 'wxid_a', 'FileStorage', 'MsgAttach', chat.padEnd(32, '0'), 'Image', '2024-05', `${name}.dat`);
const qqnt = (root: string, name: string) => path.join(root, 'Tencent Files', '12345', 'nt_qq', 'nt_data', 'Pic', '2024-05', 'Ori', `${name.padEnd(32, '0')}.jpg`);
const wechat4 = (root: string, chat: string, name: string) => path.join(root, 'xwechat_files', 'wxid_a_1f2e', 'msg', 'attach', chat.padEnd(32, '0'), '2024-05', 'Img', `${name}.dat`);

test('dedupe reads whole only the files that can have a copy: a .dat of a size no picture has is read for its first bytes only', { skip: !straceWorks() && 'strace cannot trace here' }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const { jpeg } = await corpusColor();
  const sticker = await sampleImage(61, 'png', 140);
  const files = {
    // The same picture as a plain JPEG and as WeChat 4.x: their sizes differ, the picture's does not.
    jpeg: qqnt(src, 'color'),
    v4: wechat4(src, 'friends', 'color-v4'),
    // A sticker and its 3.x .dat: the same size.
    sticker: qqnt(src, 'sticker'),
    stickerDat: wechat3(src, 'family', 'sticker'),
    // Copies of nothing: one plain, one .dat.
    lonelyPng: qqnt(src, 'lonely'),
    lonelyDat: wechat3(src, 'work', 'lonely'),
  };
  await put(files.jpeg, jpeg, '2024-05-01');
  await put(files.v4, encodeDatV4(jpeg, 1, { aesLen: 1024, xorLen: 128, xorKey: 0x5a }), '2024-05-02');
  await put(files.sticker, sticker, '2024-05-03');
  await put(files.stickerDat, encodeDat3(sticker, 0x9f), '2024-05-04');
  await put(files.lonelyPng, await sampleImage(62, 'png', 150), '2024-05-05');
  await put(files.lonelyDat, encodeDat3(await sampleImage(63, 'gif', 130), 0x51), '2024-05-06');

  const trace = path.join(root, 'trace.txt');
  const r = spawnSync('strace', ['-f', '-qq', '-y', '-s', '0', '-e', 'trace=read,pread64', '-o', trace, process.execPath, BIN, 'dedupe', src, '--json'], { env: userEnv(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { groups: { tier: string; members: { path: string }[] }[] };
  assert.deepEqual(
    report.groups.map((g) => [g.tier, g.members.map((m) => m.path).sort()]).sort(),
    [['same-picture', [files.jpeg, files.v4].sort()], ['same-picture', [files.sticker, files.stickerDat].sort()]].sort(),
  );

  const read = bytesReadPerFile((await readFile(trace, 'utf8')).split('\n'));
  const size = async (file: string) => (await readFile(file)).length;
  // Read whole once; the 4.x file, whose size no other copy has, after its first bytes told its picture's size.
  for (const file of [files.jpeg, files.v4, files.sticker, files.stickerDat]) {
    const got = read.get(file) ?? 0;
    assert.ok(got >= (await size(file)) && got <= (await size(file)) + V4_HEADER, `${path.basename(file)}: ${got} bytes read`);
  }
  assert.equal(read.get(files.lonelyPng), undefined, 'a plain file of a size no other has is never read');
  assert.ok((read.get(files.lonelyDat) ?? 0) <= V4_HEADER, `a lone .dat: its first bytes only (${read.get(files.lonelyDat)} read)`);
});
