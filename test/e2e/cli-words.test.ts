import assert from 'node:assert/strict';
import { chmod, cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildFakeHome } from '../helpers/caches.js';
import { buildTree, writeImage } from '../helpers/images.js';
import { NOBODY, isRoot, picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** What a new user types after reading README and picvault's own output, in both languages. */
const ZH = { LANG: 'zh_CN.UTF-8' };
const env = { PICVAULT_DEVICE: 'pc' };

test('catalog given a subcommand\'s option but no subcommand shows its help and says to name one, in both languages', async () => {
  const vault = path.join(await tempDir(), 'vault');
  const r = await picvault(['catalog', '--vault', vault]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stdout, /Usage: picvault catalog/);
  assert.match(r.stderr, /^picvault: picvault catalog needs a subcommand \(months, list, show, log, devices\) before --vault, such as: picvault catalog months --vault …$/m);
  assert.doesNotMatch(r.stderr, /unknown option/);
  const zh = await picvault(['catalog', '--vault', vault], { env: ZH });
  assert.equal(zh.code, 2);
  assert.match(zh.stderr, /picvault catalog 需要先写子命令（months, list, show, log, devices），再写 --vault/);
  const asJson = await picvault(['catalog', '--vault', vault, '--json']);
  assert.equal(JSON.parse(asJson.stdout).error.exit, 2, 'with --json, one document and no help');
  // The group alone still prints its help and succeeds.
  assert.equal((await picvault(['catalog'])).code, 0);
});

test('the words scan prints are words the flags take: kinds and sources as shown, in any case, in English and Chinese', async () => {
  const home = await tempDir();
  await buildFakeHome(home);
  const docs = path.join(home, 'Documents');
  const files = async (args: string[], e = {}) => {
    const r = await picvault(['scan', docs, '--json', ...args], { env: e });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).files as number;
  };
  for (const [lang, e] of [['en', {}], ['zh', ZH]] as const) {
    for (const by of ['kind', 'source']) {
      const shown = await picvault(['scan', docs, '--by', by], { env: e });
      assert.equal(shown.code, 0, shown.stderr);
      const groups = [...shown.stdout.matchAll(/^(?:kind|source|种类|来源)[:：] ?(.+)$/gm)].map((m) => m[1].trim());
      assert.ok(groups.length >= 2, `${lang} --by ${by}: ${shown.stdout}`);
      const counts = JSON.parse((await picvault(['scan', docs, '--by', by, '--json'])).stdout).groups as { group: string; files: number }[];
      for (const [i, word] of groups.entries()) {
        const flag = by === 'kind' ? '--kind' : '--source';
        assert.equal(await files([flag, word], e), counts[i].files, `${lang}: ${flag} ${word}`);
      }
    }
  }
  // --by source heads its tables "source", and the word it once printed (layout) is taken; --json keeps its fields.
  const byLayout = await picvault(['scan', docs, '--by', 'layout', '--json']);
  assert.equal(byLayout.code, 0, byLayout.stderr);
  assert.equal(JSON.parse(byLayout.stdout).by, 'source');
  assert.match((await picvault(['scan', docs, '--by', 'source'])).stdout, /^source: qqnt$/m);
  assert.equal(await files(['--source', 'QQNT']), await files(['--source', 'qqnt']));
  assert.equal(await files(['--source', 'WeChat 4']), await files(['--source', 'wechat4']));
  assert.equal(await files(['--kind', 'Thumbnail']), await files(['--kind', 'thumb']));
  const bad = await picvault(['scan', docs, '--kind', 'bogus']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--kind must be one of original\|thumb\|sticker: bogus/);
});

test('archive asks for the vault by --to and restore by --from, the flags their help teaches', async () => {
  const src = path.join(await tempDir(), 'cache');
  await buildTree(src, 1, ['2024-05']);
  const archive = await picvault(['archive', src, '--before', '2024-06']);
  assert.equal(archive.code, 2);
  assert.match(archive.stderr, /^picvault: name the vault with --to DIR \(or set PICVAULT_VAULT\)$/m);
  assert.match((await picvault(['archive', src], { env: ZH })).stderr, /请用 --to DIR 指定仓库/);
  assert.match((await picvault(['restore', '--month', '2024-05'])).stderr, /name the vault with --from DIR/);
  assert.match((await picvault(['verify'])).stderr, /name the vault with --vault DIR/);
});

test('a vault that cannot be written says so in words, with the code, and what still works there', async (t) => {
  if (!isRoot()) return t.skip('a folder this user may only read needs another user: run as root');
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const vault = path.join(root, 'vault');
  await buildTree(src, 2, ['2024-05']);
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  const asUser = { uid: NOBODY, gid: NOBODY };
  if ((await picvault(['--version'], asUser)).code !== 0) return t.skip('nobody cannot reach this checkout');
  await chmod(vault, 0o555);
  for (const name of await readdir(vault)) await chmod(path.join(vault, name), 0o755).catch(() => undefined);
  await chmod(path.join(vault, 'picvault.db'), 0o644);
  try {
    const r = await picvault(['archive', src, '--to', vault], { ...asUser, env });
    assert.equal(r.code, 10, r.stderr);
    assert.match(r.stderr, /cannot write to the vault .+: permission denied \(EACCES\)\. picvault can still read it there \(catalog, verify, restore and serve work\)/);
    const zh = await picvault(['archive', src, '--to', vault], { ...asUser, env: { ...env, ...ZH } });
    assert.match(zh.stderr, /无法写入仓库 .+：没有权限（EACCES）。picvault 仍可读取它/);
    assert.doesNotMatch(r.stderr + zh.stderr, /\(EACCES\)\)|[^(（]EACCES/);
  } finally {
    await chmod(vault, 0o755);
  }
});

test('clean of a copy whose pictures are in the vault from other places says these places were never archived', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const copy = path.join(root, 'copy');
  const vault = path.join(root, 'vault');
  await buildTree(src, 3, ['2024-05']);
  assert.equal((await picvault(['archive', src, '--to', vault], { env })).code, 0);
  await cp(src, copy, { recursive: true, preserveTimestamps: true });
  const dry = await picvault(['clean', copy, '--vault', vault, '--dry-run'], { env: { ...env, TMPDIR: root } });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^3 files stay: never archived from these places; archive them first \(a picture the vault already holds is only recorded, not stored again\)$/m);
  assert.doesNotMatch(dry.stdout, /not in the vault/);
  const zh = await picvault(['clean', copy, '--vault', vault, '--dry-run'], { env: { ...env, ...ZH, TMPDIR: root } });
  assert.match(zh.stdout, /^3 个文件保留：这些位置从未归档；请先归档/m);
});

test('a vault inside the folder it archives: its own files are never scanned, archived or counted', async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  const vault = path.join(src, 'vault');
  await buildTree(src, 3, ['2024-05']);
  const first = await picvault(['archive', src, '--to', vault, '--json'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).selected, 3);
  // A second run sees the vault's picvault.db and zips, and must leave them alone as well.
  const second = await picvault(['archive', src, '--to', vault, '--json'], { env });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(JSON.parse(second.stdout).selected, 3, second.stdout);
  const list = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).path as string);
  assert.equal(list.length, 3);
  assert.ok(list.every((p) => !p.startsWith(vault)), list.join('\n'));
  const scan = await picvault(['scan', src]);
  assert.doesNotMatch(scan.stdout, /not an image|not images/, scan.stdout);
  const clean = await picvault(['clean', src, '--vault', vault, '--dry-run'], { env: { ...env, TMPDIR: root } });
  assert.match(clean.stdout, /3 files can go, freeing .+; 0 selected files stay/, clean.stdout);
  // Another vault left inside a source (not the one in use) is skipped too.
  const other = path.join(root, 'other');
  await buildTree(other, 1, ['2024-06'], 50);
  assert.equal((await picvault(['archive', other, '--to', path.join(other, 'old-vault')], { env })).code, 0);
  const scanned = JSON.parse((await picvault(['scan', other, '--json'])).stdout);
  assert.equal(scanned.files, 1);
  assert.deepEqual(scanned.notImages, []);
});

test('with no folder named on Linux, scan looks where QQ and WeChat for Linux keep their files, not in macOS folders', async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux defaults');
  const home = await tempDir();
  const none = await picvault(['scan'], { env: { PICVAULT_HOME: home } });
  assert.equal(none.code, 2);
  assert.doesNotMatch(none.stderr, /Library|Containers/);
  assert.match(none.stderr, new RegExp(`${path.join(home, '.config', 'QQ')}; ${path.join(home, 'Documents', 'xwechat_files')}`));
  // QQ for Linux (QQNT) keeps each account in ~/.config/QQ/nt_qq_<hash>.
  const qq = path.join(home, '.config', 'QQ');
  await writeImage(path.join(qq, 'nt_qq_0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'nt_data', 'Pic', '2024-01', 'Ori', '6109bf738c4beff780647014998d966d.jpg'), 7, '2024-01-05');
  await mkdir(path.join(qq, 'nt_qq_0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'nt_db'), { recursive: true });
  const found = await picvault(['scan', '--by', 'source'], { env: { PICVAULT_HOME: home } });
  assert.equal(found.code, 0, found.stderr);
  assert.match(found.stderr, new RegExp(`found QQ cache: ${qq}$`, 'm'));
  assert.match(found.stdout, /^source: qqnt\n(?:.*\n){2}2024-01 +1 /m);
});
