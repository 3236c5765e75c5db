import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('the demo tells the whole story in the user\'s language and leaves nothing behind, in the temp folder or where it ran', async () => {
  const tmp = await tempDir();
  const cwd = await tempDir();
  const r = await picvault(['demo'], { env: { TMPDIR: tmp }, cwd });
  assert.equal(r.code, 0, r.stderr);
  const story = [
    /^A vault is the folder picvault keeps your pictures in/m,
    /^1\. picvault scan cache\n {3}40 pictures, .+, in 10 months$/m,
    /^2\. picvault archive cache --before 2024-06 --to vault\n {3}25 pictures dated before 2024-06: 20 pictures stored in \d+ zip archives/m,
    /^3\. picvault verify --vault vault --read-data\n.+the vault is whole$/m,
    /^4\. picvault clean cache --vault vault --before 2024-06 --yes\n {3}clean first shows a preview of what goes \(preview\.png: a contact sheet\) and asks; --yes answers for it\n {3}25 files deleted, .+ freed; 15 files dated 2024-06 or later stay/m,
    /^5\. picvault restore --from vault --month 2024-03\n {3}5 files of 2024-03 back in their places, byte for byte, with their dates: yes$/m,
    /^Freed .+: clean took .+ off the cache and restore brought .+ back/m,
    /now removed\. To keep them and look inside: picvault demo --dir DIR$/m,
  ];
  for (const line of story) assert.match(r.stdout, line);
  assert.ok(r.stdout.trim().split('\n').length <= 25, r.stdout);
  assert.deepEqual(await readdir(tmp), [], 'the demo removed its temp folder');
  assert.deepEqual(await readdir(cwd), []);

  const zh = await picvault(['demo', '--json'], { env: { TMPDIR: tmp, LANG: 'zh_CN.UTF-8' } });
  const doc = JSON.parse(zh.stdout);
  assert.equal(zh.code, 0);
  assert.deepEqual([doc.kept, doc.verify.whole, doc.restore.identical, doc.clean.deleted, doc.freed], [false, true, true, 25, doc.clean.bytes - doc.restore.bytes]);
  assert.deepEqual(await readdir(tmp), []);
});

test('demo --dir keeps everything in that folder and says so; the story is in Chinese under LANG=zh', async () => {
  const dir = path.join(await tempDir(), '演示');
  const r = await picvault(['demo', '--dir', dir], { env: { LANG: 'zh_CN.UTF-8' } });
  assert.equal(r.code, 0, r.stderr);
  for (const words of ['仓库（vault）是 picvault 存放图片的文件夹', '清理前会先生成将被删除图片的预览', '已回到原位置，逐字节一致，日期不变：是', '共释放', `所有内容都在 ${dir}：cache/、vault/ 和 preview.png`]) {
    assert.ok(r.stdout.includes(words), `${words} in:\n${r.stdout}`);
  }
  assert.deepEqual((await readdir(dir)).sort(), ['cache', 'preview.png', 'vault']);
  assert.equal((await sharp(path.join(dir, 'preview.png')).metadata()).format, 'png');
  assert.ok((await stat(path.join(dir, 'vault', 'picvault.db'))).size > 0);
});
