import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { picvault } from '../helpers/cli.js';
import { buildServedVault, spawnServe, stopServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';
import { hashBytes } from '../../src/media/hash.js';

/**
 * The page in a real browser (Debian's chromium driven by playwright-core), served by the real
 * binary as a user starts it. With PICVAULT_SCREENSHOTS=DIR, every page is saved there at a laptop's
 * and a phone's width; without it nothing is written.
 */

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = process.env.PICVAULT_SCREENSHOTS;

const v = await buildServedVault();
const served = await spawnServe(v.vault, v.cache);
const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
after(async () => {
  await browser.close();
  if (served.child.exitCode === null) served.child.kill('SIGKILL');
});

async function readdirRecursive(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const [width, height, tag] of [[1366, 860, 'laptop'], [390, 844, 'phone']] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(SHOTS, `${name}-${tag}.png`) });
  }
  if (size) await page.setViewportSize(size);
}

/** Every thumbnail on the first screen has loaded and has pixels (a broken one would be 0 wide). */
const thumbnailsLoaded = (page: Page) =>
  page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>('.grid img')].filter((i) => i.getBoundingClientRect().top < innerHeight);
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });

test('overview, a month with its thumbnails, a picture, restoring it into a folder, the language, in Chromium', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'en-US' });
  await page.goto(served.url.href);
  assert.equal(new URL(page.url()).search, '', 'the token is traded for a cookie and leaves the address');
  await page.getByRole('heading', { name: 'By month' }).waitFor();
  await shot(page, 'overview');

  await page.click('a[href="/month/2024-05"]');
  await thumbnailsLoaded(page);
  assert.equal(await page.locator('.grid img').count(), 7);
  await page.locator('.pick').nth(0).click();
  await page.locator('.pick').nth(1).click();
  assert.equal(await page.locator('[data-picked-count]').textContent(), '2 pictures selected');
  assert.equal(await page.locator('h1').textContent(), '2024-05');
  // The folder box suggests a folder of this user on this machine, one it accepts as typed.
  assert.equal(await page.locator('aside.picked .example').textContent(), `e.g. ${path.join(os.homedir(), 'Pictures', 'restored')}`);
  await shot(page, 'month');
  // The two picked pictures restored into a folder from the bar under the grid.
  const picked = await page.locator('.grid input[name=hash]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
  const manyOut = await tempDir();
  await page.fill('aside.picked input[name=folder]', manyOut);
  await page.click('aside.picked button');
  await page.locator('aside.picked output', { hasText: 'restored' }).waitFor();
  const written = await Promise.all((await readdirRecursive(manyOut)).map(async (f) => hashBytes(await readFile(f))));
  assert.deepEqual([...new Set(written)].sort(), [...picked].sort(), 'exactly the picked pictures, at each of their places');

  const turned = await hashBytes(await readFile(v.files.turned));
  await page.goto(new URL(`/picture/${turned}`, served.url).href);
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.preview img');
    return img !== null && img.complete && img.naturalWidth > 0;
  });
  assert.match(await page.locator('.facts').textContent() ?? '', /60 × 120/);
  await shot(page, 'picture');

  const out = await tempDir();
  await page.fill('input[name=folder]', out);
  await page.click('form[data-restore] button');
  await page.locator('form[data-restore] output', { hasText: 'restored' }).waitFor();
  assert.match(await page.locator('form[data-restore] output').textContent() ?? '', /1 restored/);
  const restored = path.join(out, 'pc', ...v.files.turned.split(path.sep).filter(Boolean));
  assert.deepEqual(await readFile(restored), await readFile(v.files.turned), 'byte for byte');
  assert.equal((await stat(restored)).mtimeMs, (await stat(v.files.turned)).mtimeMs, 'with its modification time');

  await page.click('a.lang');
  await page.getByRole('heading', { name: '恢复' }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/picture/${turned}`, 'the switch comes back to the same page');
  assert.match(await page.locator('nav').textContent() ?? '', /总览.*搜索.*重复图片.*运行记录/);
  assert.equal(await page.locator('.facts dt').first().textContent(), '文件格式');
  await shot(page, 'picture-zh');
  await page.goto(new URL('/month/2024-01', served.url).href);
  // Each filter its own word: a place's source and a picture's file type were both 类型.
  assert.deepEqual(await page.locator('form.filters label').evaluateAll((ls) => ls.map((l) => l.firstChild?.textContent?.trim())), ['来源', '聊天', '种类', '设备', '文件格式', '排序']);
  assert.equal(await page.locator('h1').textContent(), '2024-01');
  await shot(page, 'month-zh');
  await page.goto(new URL('/', served.url).href);
  await page.getByRole('heading', { name: '按月份' }).waitFor();
  await shot(page, 'overview-zh');
  for (const [where, name] of [['/duplicates', 'duplicates-zh'], ['/runs', 'runs'], ['/search?path=*.gif', 'search']]) {
    await page.goto(new URL(where, served.url).href);
    await shot(page, name);
  }
  await page.click('a.lang');
  await page.getByRole('heading', { name: 'Search' }).waitFor();
  await page.close();
});

/** Every thumbnail of the duplicates shown has loaded and has pixels. */
const copiesLoaded = (page: Page) =>
  page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>('.copy img')];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });

test('duplicates: the three tiers with a thumbnail of every copy; a similar pair marked "not duplicates" is gone; a clean undone from the run log', async () => {
  const asPc = { env: { PICVAULT_DEVICE: 'pc' } };
  // The similar tier needs the pictures' looks, which the page never computes.
  const looks = await picvault(['dedupe', v.photos, v.wechat, '--vault', v.vault, '--similar'], asPc);
  assert.equal(looks.code, 0, looks.stderr);
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'en-US' });
  await page.goto(served.url.href);
  await page.goto(new URL('/duplicates', served.url).href);
  await copiesLoaded(page);
  assert.match(await page.locator('.group').first().textContent() ?? '', /same\.png[\s\S]*same-again\.png/, 'the identical pair, the kept copy first');
  await page.click('.tabs a[href="/duplicates?tier=same-picture"]');
  await copiesLoaded(page);
  // The JPEG and the .dat hiding it: two files, one picture (stored once), a thumbnail for each.
  const picture = await hashBytes(await readFile(v.files.color.jpeg));
  const thumbs = await page.locator('.copy img').evaluateAll((imgs) => imgs.map((i) => new URL((i as HTMLImageElement).src).pathname));
  assert.deepEqual(thumbs, [`/thumb/${picture}`, `/thumb/${picture}`]);
  for (const file of [v.files.color.jpeg, v.files.color.dat]) await page.locator('.copy .path', { hasText: path.basename(file) }).waitFor();
  await shot(page, 'duplicates-same-picture');

  await page.click('.tabs a[href="/duplicates?tier=similar"]');
  await copiesLoaded(page);
  assert.match(await page.locator('.group').textContent() ?? '', /similar, \d+ bits apart/);
  await shot(page, 'duplicates');
  await page.getByRole('button', { name: 'Not duplicates' }).click();
  await page.getByText('No group of this kind.').waitFor();
  assert.equal(new URL(page.url()).search, '?tier=similar', 'back where it was');
  assert.equal(await page.locator('.marks .marked li').count(), 1, 'the mark is listed, with its undo');

  // A clean run of this device, undone from the run log.
  const cleaned = path.dirname(v.files.car.photo);
  const before = await Promise.all([v.files.car.photo].map(async (f) => ({ f, bytes: await readFile(f), mtimeMs: (await stat(f)).mtimeMs })));
  const clean = await picvault(['clean', cleaned, '--vault', v.vault, '--yes', '--preview', path.join(v.root, 'clean-preview.png')], asPc);
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(await stat(v.files.car.photo).catch(() => null), null, 'clean removed it');
  await page.goto(new URL('/runs', served.url).href);
  const row = page.locator('tr', { hasText: 'clean' });
  await row.getByRole('button', { name: 'Undo' }).click();
  await row.locator('output', { hasText: 'restored' }).waitFor();
  assert.match(await row.locator('output').textContent() ?? '', /^1 restored/);
  for (const { f, bytes, mtimeMs } of before) {
    assert.deepEqual(await readFile(f), bytes, 'byte for byte');
    assert.equal((await stat(f)).mtimeMs, mtimeMs, 'with its time');
  }
  // The log is drawn again: the undo is a restore run, and the clean says it was undone.
  await page.getByText(/restore: undo of #\d+/).waitFor();
  await page.getByText(/undone \(#\d+\)/).waitFor();
  assert.equal(await row.getByRole('button', { name: 'Undo' }).count(), 0, 'an undone run offers no second undo');
  await shot(page, 'runs-undone');
  await page.close();
});

test('through the real socket: no token, a foreign Host and another site\'s form are all refused', async () => {
  const fresh = await browser.newContext();
  const page = await fresh.newPage();
  const noToken = await page.goto(new URL('/', served.url).href);
  assert.equal(noToken?.status(), 401);
  assert.match(await page.textContent('body') ?? '', /Open the address picvault printed/);

  const hostStatus = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port: served.url.port, path: `/?token=${served.url.searchParams.get('token')}`, headers: { host: `rebound.example:${served.url.port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject).end();
  });
  assert.equal(hostStatus, 403);

  // Another site the user visits, with the user's browser signed in to the page: its form posts a restore.
  const signedIn = await browser.newPage();
  await signedIn.goto(served.url.href);
  const target = await tempDir();
  const hash = await hashBytes(await readFile(v.files.turned));
  const evil = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<form method="post" action="${served.url.origin}/restore"><input name="hash" value="${hash}"><input name="mode" value="folder"><input name="folder" value="${target}"></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    const answer = signedIn.waitForResponse((r) => r.url().endsWith('/restore'));
    await signedIn.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
    const status = (await answer).status();
    assert.ok(status === 401 || status === 403, `refused: ${status}`);
  } finally {
    evil.close();
  }
  assert.equal(await stat(path.join(target, 'pc')).catch(() => null), null, 'nothing restored');
  await fresh.close();
  await signedIn.close();
});

test('Ctrl-C stops the page cleanly (exit 0)', async () => {
  assert.equal(await stopServe(served), 0, served.out());
  assert.match(served.out(), /stopped/);
});
