import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { Browse } from '../src/core/browse.js';
import { hashBytes } from '../src/media/hash.js';
import { decodeDatProven } from '../src/media/dat.js';
import { createApp } from '../src/web/serve.js';
import { RestoreJobs } from '../src/web/jobs.js';
import { makeGuard, type Guard } from '../src/web/security.js';
import { buildServedVault, type ServedVault } from './helpers/serve.js';
import { isRoot, picvault, tryMount, userEnv } from './helpers/cli.js';
import { runSignalledAtFirstDelete } from './helpers/kill.js';
import { buildCopies, writeImage } from './helpers/images.js';
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
  // The page's own forms say "null" (its Referrer-Policy hides the origin from navigations): taken
  // only with the browser's word that the post came from this origin.
  assert.equal((await post('/restore', { ...form, _csrf: g.csrf }, { origin: 'null' })).status, 403);
  assert.equal((await post('/restore', { ...form, _csrf: g.csrf }, { origin: 'null', 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await post('/restore', { ...form, _csrf: g.csrf }, { origin: 'null', 'sec-fetch-site': 'same-site' })).status, 403);
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

test('the restore box suggests a folder of this user on this machine, and that very example is accepted', async () => {
  const home = await tempDir();
  const was = process.env.HOME;
  process.env.HOME = home; // os.homedir() reads it: the example lands in a temporary folder
  try {
    const [hash] = (await browse.month({ month: '2024-05' }, 'date', 0, 1)).pictures.map((p) => p.hash);
    for (const [lang, hint] of [['en', 'e.g. '], ['zh-CN', '例如 ']] as const) {
      const page = await (await get(`/picture/${hash}`, { 'accept-language': lang })).text();
      const example = new RegExp(`<small class="example">${hint}([^<]+)</small>`).exec(page)?.[1];
      assert.equal(example, path.join(home, 'Pictures', 'restored'), lang);
      assert.doesNotMatch(page, /C:\\Users/, 'no Windows example on Linux');
    }
    const done = await restoreThroughPage({ hash, mode: 'folder', folder: path.join(home, 'Pictures', 'restored') });
    assert.equal(done.state, 'done', done.message);
    assert.match(done.message, /^1 restored/);
  } finally {
    process.env.HOME = was;
  }
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

test('no two labels of a page say the same word, in either language: filters, table columns, facts', async () => {
  const hash = await hashOf(v.files.turned);
  const pages = ['/', '/month/2024-01', '/month/2024-05', `/picture/${hash}`, '/search', '/search?path=jpg', '/runs', '/duplicates'];
  const text = (h: string) => h.replace(/<[^>]*>/g, '').trim();
  for (const lang of ['en', 'zh-CN']) {
    for (const p of pages) {
      const page = await (await get(p, { 'accept-language': lang })).text();
      // Each group of labels read side by side: a form's fields, a table's columns, a list's facts.
      const groups = [
        ...[...page.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].map((f) => [...f[1]!.matchAll(/<label[^>]*>([^<]*)</g)].map((l) => l[1]!.trim()).filter(Boolean)),
        ...[...page.matchAll(/<thead>([\s\S]*?)<\/thead>/g)].map((h) => [...h[1]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => text(c[1]!)).filter(Boolean)),
        ...[...page.matchAll(/<dl>([\s\S]*?)<\/dl>/g)].map((d) => [...d[1]!.matchAll(/<dt>([\s\S]*?)<\/dt>/g)].map((c) => text(c[1]!))),
      ];
      for (const labels of groups) assert.equal(new Set(labels).size, labels.length, `${lang} ${p}: ${labels.join(' | ')}`);
    }
  }
  const month = await (await get('/month/2024-01', { 'accept-language': 'zh-CN' })).text();
  assert.match(month, /<label>来源\s*<select name="source">/);
  assert.match(month, /<label>文件格式\s*<select name="type">/);
  const picture = await (await get(`/picture/${hash}`, { 'accept-language': 'zh-CN' })).text();
  assert.match(picture, /<dt>文件格式<\/dt>/);
  assert.match(picture, /<th>来源<\/th>/);
});

test('a month\'s heading is YYYY-MM, as every other month is written, in both languages', async () => {
  for (const lang of ['en', 'zh-CN']) {
    const page = await (await get('/month/2024-02', { 'accept-language': lang })).text();
    assert.match(page, /<h1>2024-02<\/h1>/, lang);
    assert.doesNotMatch(page, /2\/2024|2024 年 2 月/, lang);
  }
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

test('duplicates come from dedupe: the three tiers apart, the kept copy first with why, a thumbnail of every copy, what would be freed', async () => {
  const identical = await (await get('/duplicates')).text();
  assert.match(identical, /class="on"[^>]*>\s*<b>identical<\/b>/, 'the first tier with groups is shown');
  assert.match(identical, /<b>identical<\/b><span>1 group/);
  assert.match(identical, /<b>same picture<\/b><span>1 group/);
  const twice = await hashOf(v.files.twice[0]);
  assert.match(identical, new RegExp(`src="/thumb/${twice}"`));
  assert.ok(identical.indexOf('same.png') < identical.indexOf('same-again.png'), 'the earlier copy is kept, first');
  assert.match(identical, /<span class="badge keep">keep<\/span> <small>earliest date<\/small>/);
  assert.match(identical, /2 places · [\d.]+ (B|KB) would be freed/);

  // The JPEG and the .dat hiding it: two files, one picture, stored once (SPEC "Picture identity").
  const same = await (await get('/duplicates?tier=same-picture')).text();
  const colorPicture = await hashOf(v.files.color.jpeg);
  assert.equal(await pictureHashOf(v.files.color.dat), colorPicture);
  assert.equal([...same.matchAll(new RegExp(`<img src="/thumb/${colorPicture}"`, 'g'))].length, 2, 'a thumbnail of each copy');
  assert.ok(same.includes(path.basename(v.files.color.jpeg)) && same.includes(path.basename(v.files.color.dat)));
  assert.match(same, /<span class="badge">same picture<\/span>/);
  assert.doesNotMatch(same, /DAT ·/, 'a .dat stored as its picture is shown as the picture\'s type');
  assert.match(same, /2 copies · 2 places/);

  // The similar tier needs perceptual hashes: the page computes none, and says how.
  const before = await (await get('/duplicates?tier=similar')).text();
  assert.match(before, /none is computed for this vault yet/);
  assert.ok(before.includes(`<code>picvault dedupe --vault "${v.vault}" --similar</code>`), 'the command that computes them');
  assert.match(before, /No group of this kind/);
  const computed = await picvault(['dedupe', v.photos, v.wechat, '--vault', v.vault, '--similar'], { env: { PICVAULT_DEVICE: 'pc' } });
  assert.equal(computed.code, 0, computed.stderr);
  const similar = await (await get('/duplicates?tier=similar')).text();
  assert.match(similar, /similar, \d+ bits apart/);
  assert.match(similar, /1 picture has no perceptual hash yet \(or cannot be decoded\)/, 'the HEIC sharp cannot decode');
  assert.ok(similar.indexOf('car.jpg') < similar.indexOf(path.basename(v.files.car.wechat)), 'the photo, with more pixels, is kept');
  assert.match(similar, /<small>more pixels<\/small>/);
  assert.match(similar, /action="\/duplicates\/not-duplicates"/);
  assert.equal((await get('/duplicates?tier=bogus')).status, 400);
});

/** The pictures of the similar pair, as dedupe names them (the .dat by the picture it hides). */
const carPair = async () => {
  const { groups } = await browse.duplicates.report();
  return groups.find((g) => g.tier === 'similar')!.members.map((m) => m.picture);
};
const marksOf = () => browse.duplicates.marks();

test('"not duplicates" from the page: a POST with the form token from this page only; the pair leaves the groups; its mark is listed and undone', async () => {
  const [a, b] = await carPair();
  const form = { a, b, back: '/duplicates?tier=similar' };
  assert.equal((await post('/duplicates/not-duplicates', { ...form, _csrf: g.csrf }, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await post('/duplicates/not-duplicates', { ...form, _csrf: g.csrf }, { 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await post('/duplicates/not-duplicates', form)).status, 403, 'no form token');
  assert.equal((await post('/duplicates/not-duplicates', { ...form, a: 'zz', _csrf: g.csrf })).status, 400);
  const twice = await hashOf(v.files.twice[0]);
  assert.equal((await post('/duplicates/not-duplicates', { a, b: twice, _csrf: g.csrf })).status, 409, 'two pictures in no group together');
  assert.deepEqual(marksOf().notDuplicates, [], 'nothing marked by a refused POST');

  const marked = await post('/duplicates/not-duplicates', { ...form, _csrf: g.csrf });
  assert.equal(marked.status, 303);
  assert.equal(marked.headers.get('location'), '/duplicates?tier=similar');
  const after = await (await get('/duplicates?tier=similar')).text();
  assert.match(after, /No group of this kind/, 'the pair is gone');
  assert.match(after, /Your marks[\s\S]*Not duplicates[\s\S]*action="\/duplicates\/not-duplicates\/undo"/);
  assert.deepEqual(marksOf().notDuplicates.map((m) => [m.a, m.b, m.device]), [[[a, b].sort()[0], [a, b].sort()[1], 'pc']]);

  assert.equal((await post('/duplicates/not-duplicates/undo', { a, b, back: '//evil.example/', _csrf: g.csrf })).headers.get('location'), '/duplicates', 'never back to another site');
  assert.match(await (await get('/duplicates?tier=similar')).text(), /similar, \d+ bits apart/, 'undone: the pair is back');
});

/** The catalogue's id of the place at a path. */
const placeId = (file: string) => {
  const db = new Database(path.join(v.vault, 'picvault.db'), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM locations WHERE path = ?').pluck().get(file) as number);
  } finally {
    db.close();
  }
};

test('"keep this one" from the page: the chosen place stays first, marked, on every device using the vault; a POST from elsewhere is refused; undo', async () => {
  const picture = await hashOf(v.files.twice[1]);
  const form = { picture, place: String(placeId(v.files.twice[1])), back: '/duplicates' };
  assert.equal((await post('/duplicates/keep', { ...form, _csrf: g.csrf }, { origin: 'http://evil.example' })).status, 403);
  assert.equal((await post('/duplicates/keep', form)).status, 403);
  assert.equal((await post('/duplicates/keep', { ...form, place: 'x', _csrf: g.csrf })).status, 400);
  assert.equal((await post('/duplicates/keep', { ...form, place: String(placeId(v.files.turned)), _csrf: g.csrf })).status, 409, 'a place in no group');
  assert.deepEqual(marksOf().kept, []);

  // As the page's own form posts it: Origin "null" (no-referrer), Sec-Fetch-Site same-origin.
  assert.equal((await post('/duplicates/keep', { ...form, _csrf: g.csrf }, { origin: 'null', 'sec-fetch-site': 'same-origin' })).status, 303);
  const html = await (await get('/duplicates')).text();
  assert.ok(html.indexOf('same-again.png') < html.indexOf('same.png'), 'the chosen copy first');
  assert.match(html, /<span class="badge keep">keep<\/span> <small>marked to keep<\/small>/);
  assert.deepEqual(marksOf().kept.map((m) => [m.picture, m.device, m.path]), [[picture, 'pc', v.files.twice[1]]]);
  // dedupe on the device honours it: the marked copy stays, the other would go.
  const cli = JSON.parse((await picvault(['dedupe', v.photos, '--vault', v.vault, '--json'], { env: { PICVAULT_DEVICE: 'pc' } })).stdout);
  const group = cli.groups.find((gr: { members: { path: string }[] }) => gr.members.some((m) => m.path === v.files.twice[1]));
  assert.deepEqual(group.members.map((m: { path: string; removable: boolean }) => [m.path, m.removable]), [[v.files.twice[1], false], [v.files.twice[0], true]]);

  assert.equal((await post('/duplicates/keep/undo', { picture, device: 'pc', path: v.files.twice[1], _csrf: g.csrf })).status, 303);
  assert.deepEqual(marksOf().kept, []);
  const again = await (await get('/duplicates')).text();
  assert.ok(again.indexOf('same.png') < again.indexOf('same-again.png'), 'the rules choose again');
});

test('undo from the run log: a clean run of this device is restored as a job, byte for byte with its time; the log then shows the restore that undid it', async () => {
  const file = v.files.color.jpeg;
  const original = await readFile(file);
  const mtime = (await stat(file)).mtimeMs;
  const asPc = { env: { PICVAULT_DEVICE: 'pc' } };
  const cleaned = await picvault(['clean', path.dirname(file), '--vault', v.vault, '--yes', '--preview', path.join(v.root, 'preview.png')], asPc);
  assert.equal(cleaned.code, 0, cleaned.stderr);
  assert.equal(await stat(file).catch(() => null), null, 'clean removed it');
  const runs = browse.runs();
  const clean = runs.find((r) => r.command === 'clean')!;
  const archived = runs.find((r) => r.command === 'archive')!;
  assert.match(await (await get('/runs')).text(), new RegExp(`action="/runs/${clean.id}/undo"`));
  assert.doesNotMatch(await (await get('/runs')).text(), new RegExp(`action="/runs/${archived.id}/undo"`), 'an archive removed nothing');

  const undo = `/runs/${clean.id}/undo`;
  assert.equal((await post(undo, {})).status, 403, 'no form token');
  assert.equal((await post(undo, { _csrf: g.csrf }, { origin: 'http://evil.example' })).status, 403);
  for (const bad of [String(archived.id), 'abc', '99999', '-1']) {
    const r = await post(`/runs/${bad}/undo`, { _csrf: g.csrf });
    assert.equal(r.status, 400, bad);
    assert.match(((await r.json()) as { error: string }).error, /Only a clean or dedupe run that removed something can be undone/);
  }
  assert.equal(await stat(file).catch(() => null), null, 'nothing restored by a refused POST');

  const done = await restoreThroughPage({}, undo);
  assert.equal(done.state, 'done', done.message);
  assert.match(done.message, /^1 restored/);
  assert.deepEqual(await readFile(file), original, 'byte for byte');
  assert.equal((await stat(file)).mtimeMs, mtime, 'with its time');
  const log = await (await get('/runs')).text();
  const restoreRun = browse.runs().find((r) => r.command === 'restore' && r.selection.run === clean.id)!;
  assert.match(log, new RegExp(`restore: undo of #${clean.id}`));
  assert.match(log, new RegExp(`undone \\(#${restoreRun.id}\\)`));
  assert.doesNotMatch(log, new RegExp(`action="/runs/${clean.id}/undo"`), 'an undone run offers no second undo');

  // A second undo (an old tab, a CLI restore --run) is refused in words, and the log keeps pointing at the real undo.
  const again = await post(undo, { _csrf: g.csrf });
  assert.equal(again.status, 409);
  assert.match(((await again.json()) as { error: string }).error, new RegExp(`Run #${clean.id} was already undone by #${restoreRun.id}`));
  const zhAgain = await post(undo, { _csrf: g.csrf }, { 'accept-language': 'zh-CN' });
  assert.match(((await zhAgain.json()) as { error: string }).error, new RegExp(`运行 #${clean.id} 已由 #${restoreRun.id} 撤销`));
  assert.equal((await picvault(['restore', '--from', v.vault, '--run', String(clean.id)], asPc)).code, 0, 'the CLI may still run it: it finds everything in place');
  const later = browse.runs().find((r) => r.command === 'restore' && r.selection.run === clean.id && r.id !== restoreRun.id)!;
  assert.ok(later.id > restoreRun.id);
  const relog = await (await get('/runs')).text();
  assert.match(relog, new RegExp(`undone \\(#${restoreRun.id}\\)`), 'still the restore that brought the files back');
  assert.doesNotMatch(relog, new RegExp(`undone \\(#${later.id}\\)`));
  assert.equal(browse.run(clean.id)?.undoneBy, restoreRun.id);

  // Another device's clean: its places are that device's to restore.
  const laptop = path.join(v.root, 'laptop');
  await writeImage(path.join(laptop, 'l.jpg'), 77, '2021-03-03');
  assert.equal((await picvault(['archive', laptop, '--to', v.vault, '--device-name', 'laptop'])).code, 0);
  assert.equal((await picvault(['clean', laptop, '--vault', v.vault, '--yes', '--device-name', 'laptop', '--preview', path.join(v.root, 'preview2.png')])).code, 0);
  const theirs = browse.runs().find((r) => r.command === 'clean' && r.device === 'laptop')!;
  assert.match(await (await get('/runs')).text(), /undo on laptop/);
  const refused = await post(`/runs/${theirs.id}/undo`, { _csrf: g.csrf });
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { error: string }).error, /removed files on laptop: undo it there/);
});

test('a vault that can only be read (a read-only mount): the duplicates page shows no buttons and says why; marks are refused', async (t) => {
  if (!isRoot()) return t.skip('a read-only mount needs root');
  // A copy of the vault, whole in its catalogue file: SQLite keeps a closed connection's file open
  // while another connection of the process holds the same file (the page's, through the mount).
  const db = new Database(path.join(v.vault, 'picvault.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const copy = path.join(v.root, 'vault-copy');
  await cp(v.vault, copy, { recursive: true, filter: (f) => !/picvault\.db-(wal|shm)$/.test(f) });
  const view = path.join(v.root, 'read-only-view');
  await mkdir(view);
  if (!tryMount('--bind', copy, view)) return t.skip('this machine does not let a test mount a file system');
  try {
    if (!tryMount('-o', 'remount,bind,ro', view)) return t.skip('this machine does not let a test make a mount read-only');
    const readOnly = await Browse.open({ vault: view, cacheDir: v.cache });
    try {
      assert.equal(readOnly.readOnly, true);
      const ro = createApp({ browse: readOnly, guard: g, device: 'pc', jobs: new RestoreJobs() });
      const roGet = (p: string) => ro.request(ORIGIN + p, { headers: { host: `127.0.0.1:${PORT}`, cookie: cookie() } });
      const html = await (await roGet('/duplicates')).text();
      assert.match(html, /can only be read here .* so marks cannot be set/);
      assert.match(html, /same\.png/, 'the groups are shown');
      assert.doesNotMatch(html, /action="\/duplicates\//, 'no button');
      const picture = await hashOf(v.files.twice[1]);
      const body = new URLSearchParams({ picture, place: String(placeId(v.files.twice[1])), _csrf: g.csrf });
      const refused = await ro.request(ORIGIN + '/duplicates/keep', {
        method: 'POST', body, headers: { host: `127.0.0.1:${PORT}`, cookie: cookie(), origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(refused.status, 409);
      assert.match(await refused.text(), /can only be read here/);
    } finally {
      await readOnly.close();
    }
  } finally {
    execFileSync('umount', [view]);
  }
  assert.deepEqual(marksOf().kept, [], 'nothing marked');
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

/** Posts a restore (or a run's undo) and waits for its job to end. */
async function restoreThroughPage(form: Record<string, string | string[]>, action = '/restore'): Promise<{ state: string; message: string }> {
  const started = await post(action, { ...form, _csrf: g.csrf });
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

test('the run log page: a clean Ctrl-C stopped shows what it removed, a killed one says its counts are unknown; both can be undone', { timeout: 300_000 }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildCopies(src, 600, ['2022-01', '2022-02']);
  const vault = path.join(root, 'vault');
  const asPc = userEnv({ PICVAULT_DEVICE: 'pc' });
  assert.equal((await picvault(['archive', src, '--to', vault], { env: { PICVAULT_DEVICE: 'pc' } })).code, 0);
  const chats = (await readdir(src)).map((d) => path.join(src, d));
  const clean = (tag: string) => ['clean', src, '--vault', vault, '--yes', '--quiet', '--preview', path.join(root, `preview-${tag}.png`)];
  assert.equal(await runSignalledAtFirstDelete(clean('int'), chats, asPc, 'SIGINT'), 130);
  const left = (await readdir(src, { recursive: true })).filter((f) => /\.\w+$/.test(f)).length;
  assert.ok(left > 0, 'Ctrl-C stopped the clean among its deletes');
  await runSignalledAtFirstDelete(clean('kill'), chats.filter((d) => existsSync(d)), asPc, 'SIGKILL');

  const theirs = await Browse.open({ vault, cacheDir: path.join(root, 'thumbs') });
  try {
    const page = await (await createApp({ browse: theirs, guard: g, device: 'pc', jobs }).request(`${ORIGIN}/runs`, { headers: { host: `127.0.0.1:${PORT}`, cookie: cookie() } })).text();
    const row = (id: number) => page.match(new RegExp(`<tr><td class="n">${id}</td>[\\s\\S]*?</tr>`))?.[0] ?? '';
    assert.match(row(2), new RegExp(`<td class="n">${600 - left}</td>[\\s\\S]*<td>interrupted</td>[\\s\\S]*action="/runs/2/undo"`), 'the Ctrl-C run with the files it removed');
    assert.match(row(3), /<td>interrupted, counts unknown \(at least these\)<\/td>[\s\S]*action="\/runs\/3\/undo"/, 'the killed run, not "running"');
  } finally {
    await theirs.close();
  }
});
