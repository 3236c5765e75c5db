import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify } from '../src/sources/layouts.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from './helpers/tmp.js';

test('each cache layout is recognised from its path, on Windows and POSIX paths', () => {
  const cases: [string, object | null][] = [
    ['D:\\Documents\\Tencent Files\\12345678\\Image\\Group2\\{A\\1B\\{A1B2C3D4E5F6G7H8I9J0K1L}.jpg', { source: 'qq', kind: 'original', account: '12345678' }],
    ['D:\\Documents\\Tencent Files\\12345678\\Image\\C2C\\0123456789abcdef0123456789abcdef.png', { source: 'qq', kind: 'original', account: '12345678' }],
    ['/Users/li/Tencent Files/87654321/nt_qq/nt_data/Pic/2024-11/Thumb/0123456789abcdef0123456789abcdef_720.jpg',
      { source: 'qqnt', kind: 'thumb', account: '87654321', folderMonth: '2024-11' }],
    ['C:\\Users\\张三\\Documents\\Tencent Files\\87654321\\nt_qq\\nt_data\\Pic\\2024-11\\Ori\\0123456789abcdef0123456789abcdef_0.jpg',
      { source: 'qqnt', kind: 'original', account: '87654321', folderMonth: '2024-11' }],
    ['/backup/Pic/2023-02/OriTemp/abc.gif', { source: 'qqnt', kind: 'original', account: undefined, folderMonth: '2023-02' }],
    ['D:\\Tencent Files\\1\\nt_qq\\nt_data\\Emoji\\emoji-recv\\2024-03\\Ori\\x.gif', { source: 'qqnt', kind: 'sticker', account: '1', folderMonth: '2024-03' }],
    ['D:\\WeChat Files\\wxid_abc123\\FileStorage\\Image\\2023-11\\0f1e2d3c4b5a69788796a5b4c3d2e1f0.dat',
      { source: 'wechat', kind: 'original', account: 'wxid_abc123', folderMonth: '2023-11' }],
    ['D:\\WeChat Files\\wxid_abc123\\FileStorage\\MsgAttach\\9e107d9d372bb6826bd81d3542a419d6\\Thumb\\2024-01\\a.dat',
      { source: 'wechat', kind: 'thumb', account: 'wxid_abc123', chat: '9e107d9d372bb6826bd81d3542a419d6', folderMonth: '2024-01' }],
    ['/home/u/xwechat_files/wxid_abc_1f2e/msg/attach/9e107d9d372bb6826bd81d3542a419d6/2024-05/Img/e4d909c290d0fb1ca068ffaddf22cbd0_t.dat',
      { source: 'wechat4', kind: 'thumb', account: 'wxid_abc_1f2e', chat: '9e107d9d372bb6826bd81d3542a419d6', folderMonth: '2024-05' }],
    ['/home/u/xwechat_files/wxid_abc_1f2e/msg/attach/9e107d9d372bb6826bd81d3542a419d6/2024-05/Img/e4d909c290d0fb1ca068ffaddf22cbd0_h.dat',
      { source: 'wechat4', kind: 'original', account: 'wxid_abc_1f2e', chat: '9e107d9d372bb6826bd81d3542a419d6', folderMonth: '2024-05' }],
    ['/sdcard/tencent/MicroMsg/0123456789abcdef0123456789abcdef/image2/e4/d9/th_e4d909c290d0fb1ca068ffaddf22cbd0',
      { source: 'android', kind: 'thumb', account: '0123456789abcdef0123456789abcdef' }],
    ['/sdcard/tencent/MicroMsg/0123456789abcdef0123456789abcdef/image2/e4/d9/e4d909c290d0fb1ca068ffaddf22cbd0hd',
      { source: 'android', kind: 'original', account: '0123456789abcdef0123456789abcdef' }],
    ['C:\\Users\\张三\\Documents\\WeChat Files\\wxid_abc123\\FileStorage\\Video\\2023-07\\0f1e2d3c.jpg', { source: 'wechat', kind: 'thumb', account: 'wxid_abc123', folderMonth: '2023-07' }],
    ['C:\\WeChat Files\\wxid_abc123\\FileStorage\\Sns\\Cache\\2023-05\\0f1e2d3c', { source: 'wechat', kind: 'original', account: 'wxid_abc123', folderMonth: '2023-05' }],
    ['C:\\WeChat Files\\wxid_abc123\\FileStorage\\Temp\\x.png', { source: 'wechat', kind: 'original', account: 'wxid_abc123' }],
    ['D:\\xwechat_files\\wxid_abc_1f2e\\msg\\video\\2024-04\\e4d909c2_thumb.jpg', { source: 'wechat4', kind: 'thumb', account: 'wxid_abc_1f2e', folderMonth: '2024-04' }],
    ['D:\\xwechat_files\\wxid_abc_1f2e\\cache\\2024-02\\Message\\9e107d9d372bb6826bd81d3542a419d6\\Thumb\\a_t.dat',
      { source: 'wechat4', kind: 'thumb', account: 'wxid_abc_1f2e', chat: '9e107d9d372bb6826bd81d3542a419d6', folderMonth: '2024-02' }],
    ['/Users/li/xwechat_files/wxid_abc_1f2e/cache/2024-03/Sns/Img/ab/e4d909c290d0fb1ca068ffaddf22cbd0', { source: 'wechat4', kind: 'original', account: 'wxid_abc_1f2e', folderMonth: '2024-03' }],
    ['/Users/li/xwechat_files/wxid_abc_1f2e/business/emoticon/Thumb/e4d909c2', { source: 'wechat4', kind: 'sticker', account: 'wxid_abc_1f2e' }],
    ['/Users/li/Library/Containers/com.tencent.xinWeChat/Data/Library/Application Support/com.tencent.xinWeChat/2.0b4.0.9/0123456789abcdef0123456789abcdef/Message/MessageTemp/9e107d9d372bb6826bd81d3542a419d6/Image/12_thumb.jpg',
      { source: 'wechat', kind: 'thumb', account: '0123456789abcdef0123456789abcdef', chat: '9e107d9d372bb6826bd81d3542a419d6' }],
    ['D:\\Tencent Files\\87654321\\nt_qq\\nt_data\\Video\\2024-05\\Thumb\\a_0.png', { source: 'qqnt', kind: 'thumb', account: '87654321', folderMonth: '2024-05' }],
    ['/Users/li/Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ/nt_qq_0a1b2c3d/nt_data/Pic/2024-07/Ori/x.jpg',
      { source: 'qqnt', kind: 'original', account: 'nt_qq_0a1b2c3d', folderMonth: '2024-07' }],
    ['/sdcard/tencent/MicroMsg/0123456789abcdef0123456789abcdef/emoji/e4d909c2', { source: 'android', kind: 'sticker', account: '0123456789abcdef0123456789abcdef' }],
    ['/sdcard/Tencent/MobileQQ/chatpic/chatthumb/8a1/Cache_1a2b', { source: 'qq', kind: 'thumb' }],
    ['/home/u/Pictures/holiday/IMG_0001.jpg', null],
    ['/home/u/Pictures/Cache/2024-01/IMG_0001.jpg', null],
    // Any case, either separator: the folders are told by name, as Windows and macOS compare them.
    ['D:\\TENCENT FILES\\1\\IMAGE\\GROUP2\\AB\\CD\\x.jpg', { source: 'qq', kind: 'original', account: '1' }],
    ['/backup/PIC/2023-02/ORI/abc.gif', { source: 'qqnt', kind: 'original', account: undefined, folderMonth: '2023-02' }],
    ['D:\\WECHAT FILES\\wxid_a\\FILESTORAGE\\IMAGE\\2023-11\\a.dat', { source: 'wechat', kind: 'original', account: 'wxid_a', folderMonth: '2023-11' }],
    ['/x/wxid_a_1f2e/MSG/ATTACH/9e107d9d372bb6826bd81d3542a419d6/2024-05/IMG/a.dat',
      { source: 'wechat4', kind: 'original', account: 'wxid_a_1f2e', chat: '9e107d9d372bb6826bd81d3542a419d6', folderMonth: '2024-05' }],
    ['/sdcard/MicroMsg/0123456789abcdef0123456789abcdef/IMAGE2/e4/d9/x', { source: 'android', kind: 'original', account: '0123456789abcdef0123456789abcdef' }],
    ['/home/u/Pictures/holiday/IMG_0001.jpg', null],
    ['/home/u/Pictures/pic', null],
    ['/home/u/Pictures/Image/notes.jpg', null],
  ];
  for (const [p, want] of cases) {
    const got = classify(p);
    if (want === null) assert.equal(got, null, p);
    else assert.deepEqual(Object.fromEntries(Object.entries(got ?? {}).filter(([, v]) => v !== undefined)), Object.fromEntries(Object.entries(want).filter(([, v]) => v !== undefined)), p);
  }
});

test('protected paths: app databases and settings, but WeChat 4 pictures under msg/attach are not', async () => {
  const { isProtectedPath } = await import('../src/sources/protected.js');
  for (const p of ['nt_qq/nt_db/x.jpg', 'WeChat Files/wxid/Msg/MSG0.db', 'Msg/avatar.jpg', 'a/b.db-wal', 'mmkv/x', 'db_storage/message/x.jpg', 'C:\\x\\Msg\\a.jpg']) {
    assert.equal(isProtectedPath(p), true, p);
  }
  for (const p of ['xwechat_files/wxid_a_1f2e/msg/attach/abc/2024-05/Img/x.dat', 'xwechat_files/wxid_a_1f2e/msg/video/2024-05/x_thumb.jpg', 'Image/Group2/AB/CD/x.jpg', 'Pic/2024-11/Ori/x.jpg']) {
    assert.equal(isProtectedPath(p), false, p);
  }
});

test('the walk works out a folder layout once, yet gives each file the kind its own name says', async () => {
  const { listFiles } = await import('../src/sources/list.js');
  const root = await tempDir();
  const wechat4 = path.join(root, 'xwechat_files', 'wxid_a_1f2e', 'msg', 'attach', '9e107d9d372bb6826bd81d3542a419d6', '2024-05', 'Img');
  const android = path.join(root, 'MicroMsg', '0123456789abcdef0123456789abcdef', 'image2', 'e4', 'd9');
  const plain = path.join(root, 'holiday');
  const files: [string, string, string][] = [
    [wechat4, 'a_h.dat', 'wechat4/original'],
    [wechat4, 'a_t.dat', 'wechat4/thumb'],
    [wechat4, 'b.dat', 'wechat4/original'],
    [wechat4, 'B_T.DAT', 'wechat4/thumb'],
    [android, 'th_e4d909c290d0fb1ca068ffaddf22cbd0', 'android/thumb'],
    [android, 'e4d909c290d0fb1ca068ffaddf22cbd0hd', 'android/original'],
    [plain, 'IMG_0001.jpg', 'folder/original'],
  ];
  for (const [dir, name] of files) {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, name), name);
  }
  const got = new Map([...listFiles(root, { exclude: [] })].map((f) => [f.path, f]));
  assert.equal(got.size, files.length);
  for (const [dir, name, want] of files) {
    const f = got.get(path.join(dir, name))!;
    assert.equal(`${f.source}/${f.kind}`, want, name);
    assert.equal(f.folderMonth, want.startsWith('wechat4') ? '2024-05' : undefined, name);
    // Same as classifying the path on its own.
    const alone = classify(f.path);
    assert.equal(alone?.kind ?? 'original', f.kind, name);
  }
});

test('the walk never enters an excluded folder (the vault inside a source), and walks nothing of a root inside one', async () => {
  const { walkFiles } = await import('../src/sources/walk.js');
  const root = await tempDir();
  for (const rel of ['a/x.jpg', 'vault/archives/2024/2024-01/z.zip', 'vault/picvault.db-x', 'b/c/y.jpg']) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), rel);
  }
  const walked = (r: string, exclude: string[]) => [...walkFiles(r, { exclude })].map((f) => path.relative(root, f.path)).sort();
  assert.deepEqual(walked(root, [path.join(root, 'vault')]), ['a/x.jpg', 'b/c/y.jpg']);
  assert.deepEqual(walked(root, [path.join(root, 'b', 'c')]), ['a/x.jpg', 'vault/archives/2024/2024-01/z.zip', 'vault/picvault.db-x']);
  assert.deepEqual(walked(path.join(root, 'b'), [root]), []);
  assert.deepEqual(walked(path.join(root, 'b'), [path.join(root, 'a')]), ['b/c/y.jpg']);
});
