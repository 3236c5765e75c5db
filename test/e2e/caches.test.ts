import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildAndroid, buildFakeHome, buildMoreLayouts, buildQQNT, type BuiltFile } from '../helpers/caches.js';
import { picvault } from '../helpers/cli.js';
import { snapshot } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { CORPUS } from '../helpers/vault.js';

const V2_KEY = 'k3y0123456789abc';
const env = (home: string) => ({ PICVAULT_HOME: home, PICVAULT_DEVICE: 'pc' });
const lines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('scan with no source finds every layout under a fake home, and nothing else', async () => {
  const root = await tempDir();
  const home = path.join(root, 'home');
  const { files, roots } = await buildFakeHome(home, V2_KEY);
  await mkdir(path.join(home, 'Pictures', 'holiday'), { recursive: true });
  await mkdir(path.join(home, 'Documents', 'Not Tencent'), { recursive: true });

  const r = await picvault(['scan', '--json', '--wechat-key', V2_KEY], { env: env(home) });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.sources.map((s: { source: string }) => s.source).sort(), Object.values(roots).sort());
  assert.equal(out.files, files.length, 'every image, and no database');
  const human = await picvault(['scan'], { env: env(home) });
  assert.match(human.stderr, /found QQ cache: .*Tencent Files/);
  assert.match(human.stderr, /found WeChat 4 cache: .*xwechat_files/);

  const byKind = JSON.parse((await picvault(['scan', '--json', '--by', 'kind'], { env: env(home) })).stdout);
  const count = (k: string) => files.filter((f) => f.kind === k).length;
  assert.deepEqual(Object.fromEntries(byKind.groups.map((g: { group: string; files: number }) => [g.group, g.files])), { original: count('original'), thumb: count('thumb'), sticker: count('sticker') });
  const bySource = JSON.parse((await picvault(['scan', '--json', '--by', 'source'], { env: env(home) })).stdout);
  assert.deepEqual(bySource.groups.map((g: { group: string }) => g.group).sort(), ['qq', 'qqnt', 'wechat', 'wechat4']);
  const byChat = await picvault(['scan', '--by', 'chat'], { env: env(home) });
  assert.match(byChat.stdout, /chat: wxid_张三\/[0-9a-f]{32}/);

  const empty = await picvault(['scan'], { env: env(path.join(root, 'nobody')) });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no QQ or WeChat cache found.*Looked in: .*Tencent Files/);
});

test('a WeChat folder moved in its settings is found', async () => {
  const root = await tempDir();
  const home = path.join(root, 'home');
  const moved = path.join(root, 'D-drive', 'Chat');
  await mkdir(path.join(moved, 'WeChat Files', 'wxid_x', 'FileStorage', 'Image', '2024-01'), { recursive: true });
  const ini = path.join(home, 'AppData', 'Roaming', 'Tencent', 'WeChat', 'All Users', 'config', '3ebffe94.ini');
  await mkdir(path.dirname(ini), { recursive: true });
  await writeFile(ini, moved);
  const r = await picvault(['scan'], { env: env(home) });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(path.join(moved, 'WeChat Files')), r.stderr);
});

test('a QQ folder moved in its settings is found, the setting read as Windows writes it (GBK or UTF-16)', async () => {
  const root = await tempDir();
  const ini = path.join(root, 'Users', 'Public', 'Documents', 'Tencent', 'QQ', 'UserDataInfo.ini');
  await mkdir(path.dirname(ini), { recursive: true });
  const home = path.join(root, 'Users', '张三');
  const found = async (tencentFiles: string) => {
    await mkdir(path.join(tencentFiles, '12345678', 'Image', 'Group2'), { recursive: true });
    const r = await picvault(['scan'], { env: env(home) });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`found QQ cache: ${tencentFiles}`), r.stderr);
  };
  // A Chinese Windows writes the folder above "Tencent Files" in its code page, GBK: D盘/QQ文件.
  const gbk = Buffer.from([0x44, 0xc5, 0xcc, 0x2f, 0x51, 0x51, 0xce, 0xc4, 0xbc, 0xfe]);
  await writeFile(ini, Buffer.concat([Buffer.from(`[UserDataSet]\r\nUserDataSavePathType=2\r\nUserDataSavePath=${root}/`), gbk, Buffer.from('\r\n')]));
  await found(path.join(root, 'D盘', 'QQ文件', 'Tencent Files'));
  // UTF-16 with its mark, naming "Tencent Files" itself.
  const named = path.join(root, 'E', 'Tencent Files');
  await writeFile(ini, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`[UserDataSet]\r\nUserDataSavePath=${named}\\\r\n`, 'utf16le')]));
  await found(named);
});

test('archive the caches: dates, kinds, chats per layout; restore --decode gives back the images inside the .dat files', async () => {
  const root = await tempDir();
  const home = path.join(root, 'home');
  const { files } = await buildFakeHome(home, V2_KEY);
  const android = await buildAndroid(path.join(root, 'phone', 'tencent', 'MicroMsg'));
  const vault = path.join(root, 'vault');
  const a = await picvault(['archive', '--to', vault], { env: env(home) });
  assert.equal(a.code, 0, a.stderr);
  const b = await picvault(['archive', path.join(root, 'phone'), '--to', vault], { env: env(home) });
  assert.equal(b.code, 0, b.stderr);

  const rows = lines((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout);
  const all: BuiltFile[] = [...files, ...android];
  assert.equal(rows.length, all.length);
  for (const f of all) {
    const row = rows.find((r) => r.path === f.path);
    assert.ok(row, f.path);
    assert.equal(row.source, f.source, f.path);
    assert.equal(row.kind, f.kind, f.path);
    assert.equal(row.month, f.month, f.path);
    assert.equal(row.chat ?? undefined, f.chat, f.path);
    assert.equal(row.dateRule, ['qq', 'android'].includes(f.source) ? 'file-time' : 'folder', f.path);
    // A .dat is stored as the picture it hides, and rebuilt from it (SPEC "Picture identity"); a V2
    // file archived without the key is stored as it is.
    if (f.path.endsWith('.dat')) {
      const v2 = (await readFile(f.path)).subarray(0, 4).equals(Buffer.from([0x07, 0x08, 0x56, 0x32]));
      assert.equal(row.ext, v2 ? 'dat' : f.image[0] === 0xff ? 'jpg' : f.image[0] === 0x89 ? 'png' : 'gif', f.path);
      assert.equal(row.recipeFormat, v2 ? null : f.source === 'wechat' ? 'wechat3' : 'wechat4-v1', f.path);
    }
  }
  // Android's HEVC-wrapped pictures are images all the same: stored as they are, typed `bin`,
  // and given back byte for byte.
  const wxgf = android.find((f) => f.image.subarray(0, 4).toString() === 'wxgf')!;
  assert.equal(rows.find((r) => r.path === wxgf.path)!.ext, 'bin');
  const phone = path.join(root, 'phone-back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', phone, '--source', 'android'], { env: env(home) })).code, 0);
  const fromPhone = await snapshot(phone);
  assert.equal(fromPhone.size, android.length);
  for (const f of android) assert.deepEqual(fromPhone.get(path.join('pc', path.relative('/', f.path)))?.bytes, f.image, f.path);
  // QQ keeps GIFs as .jpg: the vault knows better.
  assert.equal(rows.find((r) => r.path.includes('[$%@(X)_~]'))!.ext, 'gif');
  const show = await picvault(['catalog', 'show', rows.find((r) => r.source === 'qqnt').hash, '--vault', vault]);
  assert.match(show.stdout, /\[folder month\]/);

  // Selectors: --source and --kind together.
  const thumbs = lines((await picvault(['catalog', 'list', '--vault', vault, '--json', '--source', 'qqnt', '--kind', 'thumb'])).stdout);
  assert.deepEqual(thumbs.map((r) => r.path).sort(), files.filter((f) => f.source === 'qqnt' && f.kind === 'thumb').map((f) => f.path).sort());
  const chat = files.find((f) => f.source === 'wechat4')!.chat!;
  assert.equal(lines((await picvault(['catalog', 'list', '--vault', vault, '--json', '--chat', chat.slice(0, 8)])).stdout).length, 3);

  // restore --decode: the picture inside each .dat, under its real extension, with its time.
  const back = path.join(root, 'back');
  const r = await picvault(['restore', '--from', vault, '--to', back, '--decode', '--source', 'wechat', '--source', 'wechat4'], { env: env(home) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 \.dat file could not be decoded and was restored as it is/, 'V2 without the key comes back raw');
  const restored = await snapshot(back);
  for (const f of all.filter((x) => x.source.startsWith('wechat'))) {
    const v2 = f.source === 'wechat4' && f.image.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const ext = v2 ? '.dat' : f.image[0] === 0xff ? '.jpg' : f.image[0] === 0x89 ? '.png' : '.gif';
    const rel = path.join('pc', path.relative('/', f.path).replace(/\.dat$/, ext));
    const got = restored.get(rel);
    assert.ok(got, `${rel} restored`);
    if (!v2) assert.deepEqual(got.bytes, f.image, rel);
    assert.ok(Math.abs(got.mtimeMs - (await stat(f.path)).mtimeMs) < 1);
  }
  const withKey = await picvault(['restore', '--from', vault, '--to', path.join(root, 'back2'), '--decode', '--source', 'wechat4', '--wechat-key', V2_KEY], { env: env(home) });
  assert.equal(withKey.code, 0, withKey.stderr);
  assert.doesNotMatch(withKey.stdout, /could not be decoded/);
  // Raw restore gives back the exact .dat bytes.
  const raw = await picvault(['restore', '--from', vault, '--to', path.join(root, 'back3'), '--source', 'wechat'], { env: env(home) });
  assert.equal(raw.code, 0);
  const wf = files.find((f) => f.source === 'wechat')!;
  assert.deepEqual(await readFile(path.join(root, 'back3', 'pc', path.relative('/', wf.path))), await readFile(wf.path));
});

test('the real .dat samples in a WeChat layout: archived as the JPEGs they hide, restored decoded to the known JPEGs and rebuilt to the .dat files', async () => {
  const root = await tempDir();
  const month = path.join(root, 'WeChat Files', 'wxid_real', 'FileStorage', 'Image', '2021-03');
  await mkdir(month, { recursive: true });
  for (const f of ['wechat-dat2picture/sample/color.dat', 'WechatImageDecoder/test.dat']) {
    const dst = path.join(month, path.basename(f));
    await copyFile(path.join(CORPUS, f), dst);
    await utimes(dst, new Date(2021, 5, 1), new Date(2021, 5, 1));
  }
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', path.join(root, 'WeChat Files'), '--to', vault], { env: { PICVAULT_DEVICE: 'pc' } })).code, 0);
  const rows = lines((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout);
  assert.deepEqual(rows.map((r) => [r.ext, r.recipeFormat, r.month]), [['jpg', 'wechat3', '2021-03'], ['jpg', 'wechat3', '2021-03']]);
  const back = path.join(root, 'back');
  assert.equal((await picvault(['restore', '--from', vault, '--to', back, '--decode'])).code, 0);
  const dir = path.join(back, 'pc', path.relative('/', month));
  assert.deepEqual(await readFile(path.join(dir, 'color.jpg')), await readFile(path.join(CORPUS, 'wechat-dat2picture/sample/color.jpg')));
  const sha = createHash('sha256').update(await readFile(path.join(dir, 'test.jpg'))).digest('hex');
  assert.equal(sha, '7c9ab9c45a703c69efd92e5e37b9defd44880bf8c1abe1ec2131a48ed44716e0');
  const rebuilt = path.join(root, 'rebuilt');
  assert.equal((await picvault(['restore', '--from', vault, '--to', rebuilt])).code, 0);
  for (const f of ['color.dat', 'test.dat']) assert.deepEqual(await readFile(path.join(rebuilt, 'pc', path.relative('/', month), f)), await readFile(path.join(month, f)), f);
});

test('archive --clean over a whole QQNT account leaves nt_db and every *.db byte-identical', async () => {
  const root = await tempDir();
  const account = path.join(root, 'Tencent Files', '87654321');
  const built = await buildQQNT(account);
  const before = await snapshot(account);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', account, '--to', vault, '--clean', '--yes'], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${built.length} files deleted`));
  const after = await snapshot(account);
  const dbs = [...before.keys()].filter((k) => k.includes('nt_db'));
  assert.equal(dbs.length, 2);
  assert.deepEqual([...after.keys()].sort(), dbs.sort());
  for (const k of dbs) assert.deepEqual(after.get(k), before.get(k));
});

test('every other layout real tools describe: dated by its month folder or its arrival (not EXIF), its kind told, videos and databases left alone', async () => {
  const root = await tempDir();
  const caches = path.join(root, 'caches');
  const { files, videos } = await buildMoreLayouts(caches);
  const before = await snapshot(caches);
  const vault = path.join(root, 'vault');
  const a = await picvault(['archive', caches, '--to', vault, '--json'], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(a.code, 0, a.stderr);
  const rows = lines((await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout);
  assert.deepEqual(rows.map((r) => r.path).sort(), files.map((f) => f.path).sort(), 'every picture, and no video or database');
  for (const f of files) {
    const row = rows.find((r) => r.path === f.path);
    const where = path.relative(caches, f.path);
    assert.equal(`${row.source}/${row.kind}/${row.month}`, `${f.source}/${f.kind}/${f.month}`, where);
    assert.equal(row.dateRule, f.month.startsWith('2025') ? 'file-time' : 'folder', where);
    assert.equal(row.exifDate?.slice(0, 4) ?? '2011', '2011', `${where}: the EXIF date is kept beside the layout's`);
    if (f.chat) assert.equal(row.chat, f.chat, where);
    if (f.account) assert.equal(row.account, f.account, where);
  }
  const after = await snapshot(caches);
  for (const v of videos) assert.ok(after.has(path.relative(caches, v)), v);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  // The videos are not even counted by scan: picvault archives pictures, not videos.
  const scan = JSON.parse((await picvault(['scan', caches, '--json'])).stdout);
  assert.equal(scan.files, files.length);
});
