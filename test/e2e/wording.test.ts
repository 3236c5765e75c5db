import assert from 'node:assert/strict';
import { copyFile, mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildTree, writeImage } from '../helpers/images.js';
import { picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ZH = { LANG: 'zh_CN.UTF-8' };

/** One picture twice (a forwarded copy), another alone, and a file that is not a picture. */
async function smallCache() {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const a = path.join(src, 'chat1', 'a.jpg');
  const copy = path.join(src, 'chat2', 'a.jpg');
  const b = path.join(src, 'b.png');
  await writeImage(a, 1, '2024-03-05');
  await mkdir(path.dirname(copy), { recursive: true });
  await copyFile(a, copy);
  await utimes(copy, (await stat(a)).atime, (await stat(a)).mtime);
  await writeImage(b, 2, '2024-04-05', 'png');
  await writeFile(path.join(src, 'notes.txt'), 'not a picture');
  return { root, src, a, b, vault: path.join(root, 'vault') };
}

test('one of a thing is said in the singular, in English; Chinese has no plural', async () => {
  const { root, src, b, vault } = await smallCache();
  // clean's preview goes to the temp folder: this test's own.
  const env = { PICVAULT_DEVICE: 'pc', TMPDIR: root };
  const first = await picvault(['archive', src, '--to', vault, '--month', '2024-04'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^1 image selected, 0 already archived and unchanged; 1 new image \(.+\) stored, 0 duplicates recorded/m);
  assert.match(first.stdout, /^1 archive written and verified/m);
  const second = await picvault(['archive', src, '--to', vault], { env });
  assert.match(second.stdout, /^3 images selected, 1 already archived and unchanged; 1 new image \(.+\) stored, 1 duplicate recorded/m);

  const list = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const hashOf = (file: string) => list.find((l) => l.path === file).hash;
  assert.match((await picvault(['catalog', 'show', hashOf(b), '--vault', vault])).stdout, /^seen in 1 place:$/m);
  const twice = list.find((l) => l.path.endsWith(path.join('chat2', 'a.jpg'))).hash;
  assert.match((await picvault(['catalog', 'show', twice, '--vault', vault])).stdout, /^seen in 2 places:$/m);
  assert.match((await picvault(['catalog', 'show', twice, '--vault', vault], { env: ZH })).stdout, /^出现在 2 个位置：$/m);

  const dry = await picvault(['restore', '--from', vault, '--month', '2024-04', '--to', path.join(root, 'back'), '--dry-run'], { env });
  assert.match(dry.stdout, /^1 file would be restored \(.+\), 0 already in place, 0 would be skipped$/m);
  assert.doesNotMatch(dry.stdout, /files? restored/);
  const dryZh = await picvault(['restore', '--from', vault, '--month', '2024-04', '--to', path.join(root, 'back'), '--dry-run'], { env: { ...env, ...ZH } });
  assert.match(dryZh.stdout, /^将恢复 1 个文件/m);
  assert.equal(await stat(path.join(root, 'back')).catch(() => null), null);

  const clean = await picvault(['clean', src, '--vault', vault, '--month', '2024-04', '--yes'], { env });
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^1 file deleted, .+ freed, 0 emptied folders removed$/m);
  // The text file is not a picture: it stays, and is not told to be archived first.
  assert.match(clean.stdout, /^1 file stays: not an image, left alone$/m);
  assert.doesNotMatch(clean.stdout + clean.stderr, /archive them first/);
  const cleanZh = await picvault(['clean', src, '--vault', vault, '--month', '2024-03', '--yes'], { env: { ...env, ...ZH } });
  assert.match(cleanZh.stdout, /^已删除 2 个文件/m);
  assert.match(cleanZh.stdout, /^1 个文件保留：不是图片，不处理$/m);
  assert.doesNotMatch(cleanZh.stdout, /请先归档/);
});

test('clean --dry-run is a summary (quiet or not); --list and --json give every file', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildTree(src, 12, ['2024-03', '2024-04']);
  const vault = path.join(root, 'vault');
  const env = { PICVAULT_DEVICE: 'pc', TMPDIR: root };
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  for (const quiet of [['--quiet'], []]) {
    const r = await picvault(['clean', src, '--vault', vault, '--dry-run', ...quiet], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /delete: /);
    assert.match(r.stdout, /^12 files can go, freeing .+; 0 selected files stay$/m);
    assert.ok(r.stdout.trim().split('\n').length <= 8, r.stdout);
    if (quiet.length === 0) assert.match(r.stdout, /add --list to see every file/);
    else assert.doesNotMatch(r.stdout, /--list/);
  }
  const listed = await picvault(['clean', src, '--vault', vault, '--dry-run', '--list', '--quiet'], { env });
  assert.equal(listed.stdout.match(/^ {2}delete: /gm)?.length, 12);
  const zh = await picvault(['clean', src, '--vault', vault, '--dry-run', '--list'], { env: { ...env, ...ZH } });
  assert.equal(zh.stdout.match(/^ {2}删除: /gm)?.length, 12);
  assert.match(zh.stdout, /^可删除 12 个文件/m);
});

test('archive --clean does not say the originals were not touched before it deletes them', async () => {
  for (const [lang, untouched, next] of [[{}, /not touched/, /^now clean: /m], [ZH, /未做任何改动/, /^接下来清理/m]] as const) {
    const root = await tempDir();
    const src = path.join(root, 'cache');
    await buildTree(src, 4, ['2024-03']);
    const r = await picvault(['archive', src, '--to', path.join(root, 'vault'), '--clean', '--yes'], { env: { PICVAULT_DEVICE: 'pc', TMPDIR: root, ...lang } });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, untouched);
    assert.match(r.stdout, next);
    const plain = await picvault(['archive', src, '--to', path.join(root, 'other'), '--dry-run'], { env: lang });
    assert.equal(plain.code, 0);
  }
});

test('--device-name names this device (archive records it; clean and restore act as it), --device is a filter', async () => {
  const { root, src, vault } = await smallCache();
  const env = { PICVAULT_DEVICE: '', TMPDIR: root };
  const old = await picvault(['archive', src, '--to', vault, '--device', 'laptop'], { env });
  assert.equal(old.code, 2);
  assert.match(old.stderr, /^picvault: archive acts as this device, named with --device-name NAME; --device filters places already in the vault/);
  assert.match((await picvault(['clean', src, '--vault', vault, '--device', 'laptop'], { env: { ...env, ...ZH } })).stderr, /clean 以本设备的身份运行，本设备名称用 --device-name NAME 指定/);
  assert.equal(await stat(vault).catch(() => null), null, 'a refused run leaves no vault behind');

  assert.equal((await picvault(['archive', src, '--to', vault, '--device-name', 'laptop'], { env })).code, 0);
  const devices = JSON.parse((await picvault(['catalog', 'devices', '--vault', vault, '--json'])).stdout);
  assert.deepEqual(devices.devices.map((d: { device: string }) => d.device), ['laptop']);
  // This machine is not the laptop: clean deletes nothing until told it is.
  const notMine = await picvault(['clean', src, '--vault', vault, '--yes'], { env });
  assert.match(notMine.stdout, /^3 files stay: archived from another device$/m);
  const filtered = await picvault(['restore', '--from', vault, '--device', 'laptop', '--to', path.join(root, 'back'), '--dry-run'], { env });
  assert.match(filtered.stdout, /^3 files would be restored/m);
  const none = await picvault(['restore', '--from', vault, '--device', 'desktop', '--to', path.join(root, 'back'), '--dry-run'], { env });
  assert.match(none.stdout, /nothing in the vault matches/);
  const mine = await picvault(['clean', src, '--vault', vault, '--device-name', 'laptop', '--yes'], { env });
  assert.match(mine.stdout, /^3 files deleted/m);

  const help = (await picvault(['archive', '--help'])).stdout;
  assert.match(help, /--device-name <name>/);
  assert.doesNotMatch(help, /--device </);
  assert.match((await picvault(['restore', '--help'])).stdout.replace(/\s+/g, ' '), /--device <name> a filter: places archived from this device/);
});
