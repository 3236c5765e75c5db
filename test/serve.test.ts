import assert from 'node:assert/strict';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { Browse } from '../src/core/browse.js';
import { hashBytes } from '../src/media/hash.js';
import { decodeDatProven } from '../src/media/dat.js';
import { createApp } from '../src/web/serve.js';
import { RestoreJobs } from '../src/web/jobs.js';
import { makeGuard, type Guard } from '../src/web/security.js';
import { buildServedVault, type ServedVault } from './helpers/serve.js';
import { picvault } from './helpers/cli.js';
import { writeImage } from './helpers/images.js';
import { tempDir } from './helpers/tmp.js';

/**
 * The page's routes, asked without a socket (Hono's app.request), over a real vault archived by
 * the real binary: security, pages, thumbnails, restores.
 */

const PORT = 43210;
const ORIGIN = `http://127.0.0.1:${PORT}`;
// Registered first, so it runs before the temporary folders are removed (after hooks run in order).
let closing = async () => undefined;
after(() => closing());
// Built at the top level: a temporary folder made inside a before() hook is removed when the hook ends.
const v: ServedVault = await buildServedVault();
const browse = await Browse.open({ vault: v.vault, cacheDir: v.cache });
const g: Guard = makeGuard(PORT);
const jobs = new RestoreJobs();
const app = createApp({ browse, guard: g, device: 'pc', jobs });
closing = async () => {
  await jobs.idle();
  await browse.close();
};

const cookie = () => `${g.cookie}=${g.token}`;
/** A request as the page's own browser makes it: the right Host and the cookie. */
const get = (p: string, headers: Record<string, string> = {}) => app.request(ORIGIN + p, { headers: { host: `127.0.0.1:${PORT}`, cookie: cookie(), ...headers } });
const post = (p: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const body = new URLSearchParams();
  for (const [k, val] of Object.entries(form)) for (const x of [val].flat()) body.append(k, x);
  return app.request(ORIGIN + p, {
    method: 'POST',
    body,
    headers: { host: `127.0.0.1:${PORT}`, cookie: cookie(), origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
};
const hashOf = async (file: string) => hashBytes(await readFile(file));
/** A WeChat .dat's picture hash: what the vault stores it as, and keys its thumbnail by (SPEC "Picture identity"). */
const pictureHashOf = async (file: string) => hashBytes((await decodeDatProven(await readFile(file)))!.picture);

test('every request needs the token; the first visit trades it for an HttpOnly, SameSite=Strict cookie and a clean address', async () => {
  const none = await app.request(`${ORIGIN}/`, { headers: { host: `127.0.0.1:${PORT}` } });
  assert.equal(none.status, 401);
  assert.match(await none.text(), /Open the address picvault printed/);
  const wrong = await app.request(`${ORIGIN}/?token=guess`, { headers: { host: `127.0.0.1:${PORT}` } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const wrongCookie = await app.request(`${ORIGIN}/`, { headers: { host: `127.0.0.1:${PORT}`, cookie: `${g.cookie}=guess` } });
  assert.equal(wrongCookie.status, 401);
  for (const asset of ['/assets/style.css', '/thumb/0000000000000000', '/jobs/1']) {
    assert.equal((await app.request(ORIGIN + asset, { headers: { host: `127.0.0.1:${PORT}` } })).status, 401, asset);
  }

  const first = await app.request(`${ORIGIN}/month/2024-05?token=${g.token}&sort=size`, { headers: { host: `127.0.0.1:${PORT}` } });
  assert.equal(first.status, 303);
  assert.equal(first.headers.get('location'), '/month/2024-05?sort=size');
  const set = first.headers.get('set-cookie') ?? '';
  assert.match(set, new RegExp(`^${g.cookie}=${g.token};`));
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  assert.equal((await get('/')).status, 200);
});

test('a Host other than the loopback address and this port is refused (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, `127.0.0.2:${PORT}`, `[::1]:${PORT}`]) {
    const r = await get('/', { host });
    assert.equal(r.status, 403, host);
    assert.match(await r.text(), /answers only at the address picvault printed/);
  }
  assert.equal((await get('/', { host: `localhost:${PORT}` })).status, 200);
});

test('a change needs a POST from this page: a foreign Origin, a cross-site fetch or a missing form token is refused', async () => {
  const [hash] = (await browse.month({ month: '2024-05' }, 'date', 0, 1)).pictures.map((p) => p.hash);
  const out = path.join(v.root, 'refused');
  const form = { hash, mode: 'folder', folder: out };
  const foreign = await post('/restore', { ...form, _csrf: g.csrf }, { origin: 'http://evil.example' });
  assert.equal(foreign.status, 403);
  assert.match(await foreign.text(), /another web site/);
  assert.equal((await post('/restore', { ...form, _csrf: g.csrf }, { origin: `http://127.0.0.1:${PORT + 1}` })).status, 403);
  assert.equal((await post('/restore', { ...form, _csrf: g.csrf }, { 'sec-fetch-site': 'cross-site' })).status, 403);
  const missing = await post('/restore', form);
  assert.equal(missing.status, 403);
  assert.match(await missing.text(), /did not come from a picvault page/);
  assert.equal((await post('/restore', { ...form, _csrf: 'x'.repeat(43) })).status, 403);
  assert.equal((await post('/restore', form, { 'x-csrf-token': g.token })).status, 403, 'the token is not the form token');
  const put = await app.request(`${ORIGIN}/restore`, { method: 'PUT', headers: { host: `127.0.0.1:${PORT}`, cookie: cookie() } });
  assert.equal(put.status, 405);
  await jobs.idle();
  assert.equal(await stat(out).catch(() => null), null, 'nothing was restored');
});

test('parameters that name a file or a folder are checked: no traversal, no Windows path on Linux, never into the vault', async () => {
  for (const p of ['/picture/..%2F..%2Fetc%2Fpasswd', '/thumb/..%2Fpicvault.db', '/original/0123', '/preview/ZZZZZZZZZZZZZZZZ', '/month/2024-13', '/month/..%2F..']) {
    const r = await get(p);
    assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
    assert.doesNotMatch(await r.text(), /root:|SQLite format/);
  }
  for (const p of ['/assets/..%2F..%2Fpackage.json', '/assets/serve.ts', '/assets/%2E%2E/%2E%2E/package.json']) {
    const r = await get(p);
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(await r.text(), /"name": "picvault"/);
  }
  const back = await get('/lang/zh?back=//evil.example/x');
  assert.equal(back.headers.get('location'), '/', 'no redirect to another site');
  assert.equal((await get('/lang/zh?back=/\\evil.example')).headers.get('location'), '/');

  const [hash] = (await browse.month({ month: '2024-05' }, 'date', 0, 1)).pictures.map((p) => p.hash);
  const cases: [string, RegExp][] = [
    ['relative/dir', /full path/],
    [`${v.root}/out/../../escape`, /full path/],
    ['D:\\restored', /Windows path/],
    [path.join(v.vault, 'archives'), /outside the vault/],
    ['', /name the folder/],
  ];
  for (const [folder, message] of cases) {
    const r = await post('/restore', { hash, mode: 'folder', folder, _csrf: g.csrf });
    assert.equal(r.status, 400, folder);
    assert.match(((await r.json()) as { error: string }).error, message);
  }
  assert.equal((await post('/restore', { hash: '../../x', mode: 'places', _csrf: g.csrf })).status, 400);
  assert.equal((await post('/restore', { hash, mode: 'elsewhere', _csrf: g.csrf })).status, 400);
});

test('the overview shows devices, sources, totals, the months as links with bars, and the last runs', async () => {
  const html = await (await get('/')).text();
  assert.match(html, /href="\/month\/2024-05"/);
  assert.match(html, /href="\/month\/2023-11"/);
  assert.match(html, /class="bar files" style="height:\d+%"/);
  assert.match(html, /<td>pc<\/td>/);
  assert.match(html, /WeChat/);
  assert.match(html, />archive</, 'the last runs');
  assert.match(html, new RegExp(v.photos.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')));
});

test('a month: thumbnails, filters by source, chat, kind, device and type, sorting and paging', async () => {
  const all = await (await get('/month/2024-05')).text();
  const tiles = [...all.matchAll(/src="\/thumb\/([0-9a-f]{16})"/g)].map((m) => m[1]);
  assert.equal(tiles.length, 7, 'each picture once: the one seen twice too');
  assert.match(all, /1–7 of 7/);
  const byType = await (await get('/month/2024-05?type=gif')).text();
  assert.equal([...byType.matchAll(/src="\/thumb\//g)].length, 1);
  const bySize = [...(await (await get('/month/2024-05?sort=size-desc')).text()).matchAll(/src="\/thumb\/([0-9a-f]{16})"/g)].map((m) => m[1]);
  const sizes = await Promise.all(bySize.map(async (h) => browse.stored(h)!.size));
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  const wechat = await (await get('/month/2024-01?source=wechat&kind=thumb&device=pc')).text();
  assert.equal([...wechat.matchAll(/src="\/thumb\//g)].length, 1);
  assert.match(wechat, /<option value="[0-9a-f]{32}"/, 'the chat filter offers the chat');
  assert.equal([...(await (await get('/month/2024-05?device=laptop')).text()).matchAll(/src="\/thumb\//g)].length, 0);
  const page = browse.month({ month: '2024-05' }, 'date', 5, 5);
  assert.equal(page.total, 7);
  assert.equal(page.pictures.length, 2);
});

test('thumbnails: WebP 250 px from the zip, .dat decoded, cached outside the vault by hash, immutable; GIFs marked; HEIC a labelled tile', async () => {
  const datHash = await pictureHashOf(v.files.dat[0]);
  const r = await get(`/thumb/${datHash}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/webp');
  assert.match(r.headers.get('cache-control') ?? '', /immutable/);
  const meta = await sharp(Buffer.from(await r.arrayBuffer())).metadata();
  assert.equal(meta.format, 'webp');
  assert.equal(meta.width, 250);
  assert.ok(await decodeDatProven(await readFile(v.files.dat[0])), 'the fixture is a real .dat');
  const cached = await readdir(path.join(v.cache, 'thumbs', 'v1', datHash.slice(0, 2)));
  assert.ok(cached.includes(`${datHash}.grid.webp`), cached.join(','));
  assert.ok(!(await readdir(v.vault)).some((n) => /thumb|cache/.test(n)), 'nothing written into the vault');

  const gif = await hashOf(v.files.animated);
  const gifPage = await (await get(`/picture/${gif}`)).text();
  assert.match(gifPage, /animated/);
  assert.equal((await get(`/preview/${gif}`)).headers.get('content-type'), 'image/gif', 'it plays on its page');

  const heic = await hashOf(v.files.heic);
  const tile = await get(`/thumb/${heic}`);
  assert.equal(tile.headers.get('content-type'), 'image/svg+xml');
  const svg = await tile.text();
  assert.match(svg, /HEIC/);
  assert.match(svg, /no preview/);
  assert.match(await (await get(`/thumb/${heic}`, { cookie: `${cookie()}; picvault-lang=zh` })).text(), /无法预览/);
});

test('the picture page: pixels as seen (EXIF rotation), every date with its rule, every place, the zip; the preview is turned', async () => {
  const turned = await hashOf(v.files.turned);
  const html = await (await get(`/picture/${turned}`)).text();
  assert.match(html, /60 × 120/, 'width and height as the picture is seen');
  assert.match(html, /JPG/);
  assert.match(html, /2024-05-03 12:00:00/);
  assert.match(html, /file time/);
  assert.match(html, /archives\/2024\/2024-05\/2024-05_[0-9a-f]{16}\.zip/);
  assert.match(html, new RegExp(`href="/original/${turned}"`));
  const preview = await sharp(Buffer.from(await (await get(`/preview/${turned}`)).arrayBuffer())).metadata();
  assert.deepEqual([preview.width, preview.height], [60, 120]);

  const twice = await hashOf(v.files.twice[0]);
  const both = await (await get(`/picture/${twice}`)).text();
  assert.match(both, /Seen in 2 places/);
  assert.match(both, /same-again\.png/);
  assert.match(both, /archived/);

  const original = await get(`/original/${twice}`);
  assert.deepEqual(Buffer.from(await original.arrayBuffer()), await readFile(v.files.twice[0]));
  assert.match(original.headers.get('content-disposition') ?? '', /attachment; filename="[0-9a-f]{16}\.png"/);
});

test('search by hash prefix, path or glob, chat and dates', async () => {
  const turned = await hashOf(v.files.turned);
  const byHash = await (await get(`/search?hash=${turned.slice(0, 6)}`)).text();
  assert.match(byHash, /turned\.jpg/);
  assert.match(await (await get('/search?path=*.gif')).text(), /dispose_bgnd\.gif/);
  const substring = await (await get('/search?path=same')).text();
  assert.match(substring, /2 places found/);
  const chat = await (await get('/search?chat=' + (await browse.month({ month: '2024-01' }, 'date', 0, 5)).facets.chat[0][0].slice(0, 8))).text();
  assert.match(chat, /2 places found/);
  assert.match(await (await get('/search?since=2024-05-20&before=2024-05-21')).text(), /1 place found/);
  const bad = await get('/search?hash=xyz');
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /hex digits/);
  assert.match(await (await get('/search?path=nothing-like-this')).text(), /Nothing found/);
});

test('duplicates: one picture at two places is one identical group, the copy to keep first', async () => {
  const html = await (await get('/duplicates')).text();
  assert.match(html, /identical/);
  assert.match(html, /2 copies/);
  assert.ok(html.indexOf('same.png') < html.indexOf('same-again.png'), 'the earliest is kept');
  const { groups } = browse.duplicates(0, 10);
  assert.equal(groups.length, 1);
  assert.equal(groups[0].tier, 'identical');
  assert.equal(groups[0].keptBecause, 'earliest');
});

test('the run log lists every run; no run offers an undo until the catalogue ties removed places to their run', async () => {
  const html = await (await get('/runs')).text();
  assert.match(html, />archive</);
  assert.doesNotMatch(html, /action="\/runs\/\d+\/undo"/);
});

test('the language is switchable and defaults from Accept-Language', async () => {
  assert.match(await (await get('/', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' })).text(), /总览.*按月份/s);
  assert.match(await (await get('/', { 'accept-language': 'en-US,en;q=0.9' })).text(), /Overview/);
  const sw = await get('/lang/zh?back=/runs');
  assert.equal(sw.status, 303);
  assert.equal(sw.headers.get('location'), '/runs');
  const chosen = (sw.headers.get('set-cookie') ?? '').split(';')[0];
  assert.match(await (await get('/runs', { cookie: `${cookie()}; ${chosen}`, 'accept-language': 'en' })).text(), /运行记录/);
});

/** Posts a restore and waits for its job to end. */
async function restoreThroughPage(form: Record<string, string | string[]>): Promise<{ state: string; message: string }> {
  const started = await post('/restore', { ...form, _csrf: g.csrf });
  assert.equal(started.status, 202, await started.clone().text());
  const { job } = (await started.json()) as { job: number };
  for (;;) {
    const r = (await (await get(`/jobs/${job}`)).json()) as { state: string; message: string };
    if (r.state === 'done' || r.state === 'failed') return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('restore from the page into a folder and to the original places: byte for byte, with the modification time', async () => {
  const out = await tempDir();
  const picked = [v.files.turned, v.files.twice[0]];
  const hashes = await Promise.all(picked.map(hashOf));
  const done = await restoreThroughPage({ hash: hashes, mode: 'folder', folder: out, month: '2024-05' });
  assert.equal(done.state, 'done', done.message);
  assert.match(done.message, /3 restored/, 'the picture seen twice comes back to both its places under the folder');
  for (const file of [...picked, v.files.twice[1]]) {
    const under = path.join(out, 'pc', ...file.split(path.sep).filter(Boolean));
    assert.deepEqual(await readFile(under), await readFile(file));
    assert.equal((await stat(under)).mtimeMs, (await stat(file)).mtimeMs);
  }

  const original = await readFile(v.files.turned);
  const mtime = (await stat(v.files.turned)).mtimeMs;
  await rm(v.files.turned);
  const back = await restoreThroughPage({ hash: hashes[0], mode: 'places' });
  assert.equal(back.state, 'done', back.message);
  assert.deepEqual(await readFile(v.files.turned), original);
  assert.equal((await stat(v.files.turned)).mtimeMs, mtime);
});

test('the page reads while a CLI archive writes: the archive works and the page shows its new month', async () => {
  const more = path.join(v.root, 'more');
  await writeImage(path.join(more, 'new.jpg'), 99, '2022-08-08');
  const r = await picvault(['archive', more, '--to', v.vault, '--device-name', 'pc']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(await (await get('/')).text(), /href="\/month\/2022-08"/);
  assert.equal([...(await (await get('/month/2022-08')).text()).matchAll(/src="\/thumb\//g)].length, 1);
});

test('a rotted archive: its pictures get a labelled tile, the original is refused, the pages still work', async () => {
  const picture = await pictureHashOf(v.files.dat[1]);
  const stored = browse.stored(picture)!;
  const zip = path.join(v.vault, ...stored.archive.split('/'));
  const bytes = await readFile(zip);
  // Bit rot over every entry's data: the central directory is whole, the pictures are not.
  for (let i = 64; i < bytes.length - 4096; i += 97) bytes[i] ^= 0x5a;
  await writeFile(zip, bytes);
  const tile = await get(`/thumb/${picture}`);
  assert.equal(tile.headers.get('content-type'), 'image/svg+xml');
  assert.match(await tile.text(), /archive unreadable/);
  const original = await get(`/original/${picture}`);
  assert.equal(original.status, 409);
  assert.match(await original.text(), /cannot be read right now/);
  const page = await get(`/picture/${picture}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /archive unreadable/);
  assert.equal((await get('/month/2023-11')).status, 200);
  // Unreadable is not remembered: a repaired archive shows the picture again.
  assert.equal(await stat(path.join(v.cache, 'thumbs', 'v1', picture.slice(0, 2), `${picture}.json`)).catch(() => null), null);
});
