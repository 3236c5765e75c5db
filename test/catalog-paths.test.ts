import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalog, type Db } from '../src/catalog/db.js';
import { knownFile, placesAtPath } from '../src/catalog/locations.js';
import { pathKey } from '../src/catalog/path-key.js';
import { recordArchive, type ArchiveRow } from '../src/catalog/record.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest, type ManifestLocation } from '../src/vault/manifest.js';
import { tempDir } from './helpers/tmp.js';
import { catalogueBeforePathKeys } from './helpers/vault.js';

const WINDOWS_PATH = 'D:\\Users\\小明\\Documents\\Tencent Files\\12345\\Image\\Group2\\AB\\CD\\{1A2B}.jpg';
const POSIX_PATH = '/home/xm/.local/share/微信/FileStorage/Image/2024-03/abc.dat';

const place = (over: Partial<ManifestLocation> = {}): ManifestLocation => ({
  hash: 'aaaaaaaaaaaaaaaa', size: 10, device: 'pc', source: 'folder', kind: 'original', root: 'D:\\Users',
  path: WINDOWS_PATH, mtimeMs: 1_700_000_000_000, birthtimeMs: 1_700_000_000_000, taken: '2024-03-05 12:00:00',
  month: '2024-03', dateRule: 'file-time', exifDate: null, ...over,
});

const manifestOf = (locations: ManifestLocation[]): Manifest => ({
  format: MANIFEST_FORMAT, version: MANIFEST_VERSION, month: '2024-03', createdAt: '2024-03-06T00:00:00Z',
  images: [...new Map(locations.map((l) => [l.hash, { hash: l.hash, size: l.size, ext: 'jpg' as const, entry: `${l.hash}.jpg` }])).values()],
  locations,
});

let zips = 0;
const zip = (): ArchiveRow => ({
  name: `archives/2024/2024-03/2024-03_${String(++zips).padStart(16, '0')}.zip`, month: '2024-03', xxh64: '0'.repeat(16),
  bytes: 1, createdAt: '2024-03-06T00:00:00Z', verifiedAt: '2024-03-06T00:00:00Z',
});

async function freshCatalog(): Promise<Db> {
  return openCatalog(path.join(await tempDir(), 'picvault.db'));
}

test('the path key is pinned: a catalogue written by an earlier build is found by this one', () => {
  // Changing pathKey would leave every existing catalogue's keys stale: lookups by path would find
  // nothing (clean would delete nothing; archive would re-read every file). These values are the
  // contract with catalogues already on users' disks.
  assert.equal(pathKey(''), 2_776_715_009_477);
  assert.equal(pathKey(WINDOWS_PATH), 27_695_135_348_170);
  assert.equal(pathKey(POSIX_PATH), 80_994_842_566_466);
  for (const p of ['', WINDOWS_PATH, POSIX_PATH]) {
    assert.ok(Number.isSafeInteger(pathKey(p)) && pathKey(p) >= 0 && pathKey(p) < 2 ** 47);
  }
  // Both path flavours, case and separators are different paths, and so (almost always) other keys.
  const variants = [WINDOWS_PATH, WINDOWS_PATH.toLowerCase(), WINDOWS_PATH.replaceAll('\\', '/'), `\\\\?\\${WINDOWS_PATH}`];
  assert.equal(new Set(variants.map(pathKey)).size, variants.length);
});

test('a place recorded again is updated, not added twice; another device or image is another place', async () => {
  const db = await freshCatalog();
  recordArchive(db, zip(), manifestOf([place()]));
  recordArchive(db, zip(), manifestOf([place({ mtimeMs: 1_800_000_000_000, taken: '2024-03-07 08:00:00' })]));
  const rows = db.prepare('SELECT id, mtime_ms AS mtimeMs, taken, path_key AS pathKey FROM locations').all() as { mtimeMs: number; taken: string; pathKey: number }[];
  assert.equal(rows.length, 1);
  assert.deepEqual(rows.map((r) => [r.mtimeMs, r.taken, r.pathKey]), [[1_800_000_000_000, '2024-03-07 08:00:00', pathKey(WINDOWS_PATH)]]);

  recordArchive(db, zip(), manifestOf([place({ device: 'laptop' }), place({ hash: 'bbbbbbbbbbbbbbbb' })]));
  assert.equal(db.prepare('SELECT COUNT(*) FROM locations').pluck().get(), 3);
  assert.equal(placesAtPath(db)(WINDOWS_PATH).length, 3);
  assert.equal(knownFile(db, 'laptop')(WINDOWS_PATH)?.mtimeMs, 1_700_000_000_000);
  assert.equal(knownFile(db, 'pc')(POSIX_PATH), undefined);
  db.close();
});

test('two paths that share a key are told apart by the path itself', async () => {
  // The same image at two paths, as a sticker in two chats: only the path tells the places apart.
  const first = place({ path: WINDOWS_PATH, mtimeMs: 1_700_000_000_000 });
  const second = place({ path: POSIX_PATH, mtimeMs: 1_600_000_000_000 });
  const rows = (db: Db) => db.prepare('SELECT path, mtime_ms AS mtimeMs, taken FROM locations ORDER BY id').all();

  // The first place carries the second's key, as if both paths hashed alike.
  let db = await freshCatalog();
  recordArchive(db, zip(), manifestOf([first, second]));
  db.prepare('UPDATE locations SET path_key = ? WHERE path = ?').run(pathKey(POSIX_PATH), WINDOWS_PATH);
  assert.deepEqual(placesAtPath(db)(POSIX_PATH).map((p) => p.mtimeMs), [1_600_000_000_000]);
  recordArchive(db, zip(), manifestOf([{ ...second, taken: '2024-03-09 00:00:00' }]));
  assert.deepEqual(rows(db), [
    { path: WINDOWS_PATH, mtimeMs: 1_700_000_000_000, taken: '2024-03-05 12:00:00' },
    { path: POSIX_PATH, mtimeMs: 1_600_000_000_000, taken: '2024-03-09 00:00:00' },
  ]);
  // A lookup of the first path, which its stale key no longer leads to, finds nothing: not the other place.
  assert.deepEqual(placesAtPath(db)(WINDOWS_PATH), []);
  db.close();

  // The second place carries the first's key: what this device archived at the first path is still the first.
  db = await freshCatalog();
  recordArchive(db, zip(), manifestOf([first, second]));
  db.prepare('UPDATE locations SET path_key = ? WHERE path = ?').run(pathKey(WINDOWS_PATH), POSIX_PATH);
  assert.equal(knownFile(db, 'pc')(WINDOWS_PATH)?.mtimeMs, 1_700_000_000_000);
  db.close();
});

test('a catalogue from before path keys is migrated: every place kept with its id, audit columns and key', async () => {
  const file = path.join(await tempDir(), 'picvault.db');
  const old = catalogueBeforePathKeys(file);
  old.prepare("INSERT INTO archives (id, name, month, xxh64, bytes, created_at) VALUES (7, 'archives/2024/2024-03/a.zip', '2024-03', ?, 1, 'then')").run('1'.repeat(16));
  old.prepare("INSERT INTO images (hash, size, ext, archive_id, entry) VALUES (?, 10, 'jpg', 7, 'x.jpg')").run('aaaaaaaaaaaaaaaa');
  const insert = old.prepare(`INSERT INTO locations (id, hash, size, device, source, kind, root, path, mtime_ms, birthtime_ms, taken, month,
    date_rule, exif_date, archive_id, cleaned_at, restored_at, account, chat) VALUES (?, ?, 10, ?, 'qq', 'original', 'D:\\', ?, 5, 4, '2024-03-05 12:00:00',
    '2024-03', 'file-time', NULL, 7, ?, NULL, '12345', NULL)`);
  insert.run(41, 'aaaaaaaaaaaaaaaa', 'pc', WINDOWS_PATH, '2024-04-01T00:00:00Z');
  insert.run(42, 'aaaaaaaaaaaaaaaa', 'pc', POSIX_PATH, null);
  insert.run(43, 'aaaaaaaaaaaaaaaa', '小明的电脑', WINDOWS_PATH, null);
  // Enough places that the rebuilt table leaves pages behind, as a real cache's would.
  old.transaction(() => { for (let i = 0; i < 3000; i++) insert.run(100 + i, 'aaaaaaaaaaaaaaaa', 'pc', `${POSIX_PATH}.${i}`, null); })();
  old.close();

  const db = openCatalog(file);
  const rows = db.prepare('SELECT id, device, path, path_key AS pathKey, cleaned_at AS cleanedAt, account FROM locations WHERE id < 100 ORDER BY id').all();
  assert.deepEqual(rows, [
    { id: 41, device: 'pc', path: WINDOWS_PATH, pathKey: pathKey(WINDOWS_PATH), cleanedAt: '2024-04-01T00:00:00Z', account: '12345' },
    { id: 42, device: 'pc', path: POSIX_PATH, pathKey: pathKey(POSIX_PATH), cleanedAt: null, account: '12345' },
    { id: 43, device: '小明的电脑', path: WINDOWS_PATH, pathKey: pathKey(WINDOWS_PATH), cleanedAt: null, account: '12345' },
  ]);
  assert.deepEqual(placesAtPath(db)(WINDOWS_PATH).map((p) => p.id).sort(), [41, 43]);
  assert.equal(db.prepare('SELECT COUNT(*) FROM locations').pluck().get(), 3003);
  assert.equal(knownFile(db, 'pc')(`${POSIX_PATH}.2999`)?.mtimeMs, 5);
  assert.equal(knownFile(db, '小明的电脑')(WINDOWS_PATH)?.mtimeMs, 5);
  assert.deepEqual(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  // The old table's pages are given back, not left free inside the file.
  assert.equal(db.pragma('freelist_count', { simple: true }), 0);
  // The path is no longer indexed whole: no unique index leads with it.
  // (Since 0013 the places are in `places`, and `locations` is a view of them.)
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'places' ORDER BY name").pluck().all() as string[];
  assert.ok(indexes.includes('places_hash') && indexes.includes('places_path_key'), indexes.join());
  // (Later migrations add indexes of their own, e.g. 0009's by month; none leads with the path.)
  const leading = indexes.map((i) => (db.pragma(`index_info(${i})`) as { name: string }[])[0].name);
  assert.ok(!leading.includes('path'), leading.join());
  // New places go on after the migrated ids.
  recordArchive(db, zip(), manifestOf([place({ path: 'E:\\new.jpg' })]));
  assert.equal(db.prepare("SELECT id FROM locations WHERE path = 'E:\\new.jpg'").pluck().get(), 3100);
  db.close();
});

/** The catalogue's bytes once its log is folded in. */
function catalogueBytes(db: Db): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}

test('a root is stored once, not in every place: places under a long root cost no more than under a short one', async () => {
  // Group2 caches have one folder per place or two, so the root was most of what a place cost
  // (docs/performance.md, fourteenth round). 2 000 places under a 150-character root against the
  // same under `D:\r`: before migration 0013 the long root cost its length twice a place (about
  // 0.9 MB here); now once in all.
  const longRoot = path.win32.join('D:\\', '用户'.repeat(20), 'Documents', 'a'.repeat(80), 'Tencent Files');
  assert.ok(longRoot.length > 140);
  const sizes: number[] = [];
  for (const root of [longRoot, 'D:\\r']) {
    const db = await freshCatalog();
    const places = Array.from({ length: 2000 }, (_, i) =>
      place({ root, path: path.win32.join(root, '12345', 'Image', 'Group2', (i % 256).toString(16).padStart(2, '0'), `{${i}}.jpg`) }));
    recordArchive(db, zip(), manifestOf(places));
    assert.equal(db.prepare('SELECT COUNT(*) FROM locations WHERE root = ?').pluck().get(root), 2000);
    sizes.push(catalogueBytes(db));
    db.close();
  }
  const perPlace = (sizes[0] - sizes[1]) / 2000;
  assert.ok(perPlace < 8, `a long root cost ${perPlace.toFixed(1)} bytes a place`);
});

test('paths kept after their root read back exactly: drive letters, Chinese names, a root of /, a path outside its root, a root that changes', async () => {
  const db = await freshCatalog();
  const winRoot = 'C:\\Users\\小明\\Documents\\Tencent Files';
  const win = path.win32.join(winRoot, '12345', 'Image', 'Group2', 'AB', 'CD', '图片.jpg');
  const long = `\\\\?\\${path.win32.join(winRoot, 'x'.repeat(300), 'a.jpg')}`;
  const atRoot = path.posix.join('/', 'photos', 'b.jpg');
  const outside = path.posix.join('/home', 'xm', '微信', 'c.jpg');
  const placed = [
    place({ hash: '1'.repeat(16), root: winRoot, path: win }),
    place({ hash: '2'.repeat(16), root: winRoot, path: long }),
    place({ hash: '3'.repeat(16), root: '/', path: atRoot }),
    // A manifest may say anything: a root the path does not begin with is kept as it was said.
    place({ hash: '4'.repeat(16), root: '/mnt/elsewhere', path: outside }),
    place({ hash: '5'.repeat(16), root: winRoot.toLowerCase(), path: win }),
  ];
  recordArchive(db, zip(), manifestOf(placed));
  const read = () => db.prepare('SELECT root, path FROM locations ORDER BY id').all();
  assert.deepEqual(read(), placed.map(({ root, path: p }) => ({ root, path: p })));
  assert.deepEqual(placesAtPath(db)(win).map((p) => p.hash).sort(), ['1'.repeat(16), '5'.repeat(16)]);
  assert.equal(knownFile(db, 'pc')(outside)?.mtimeMs, placed[3].mtimeMs);
  // The same place seen again from another root keeps its path, now after the new root.
  recordArchive(db, zip(), manifestOf([{ ...placed[2], root: '/photos' }]));
  assert.deepEqual(db.prepare('SELECT root, path FROM locations WHERE hash = ?').get('3'.repeat(16)), { root: '/photos', path: atRoot });
  assert.equal(db.prepare('SELECT COUNT(*) FROM locations').pluck().get(), placed.length);
  db.close();
});
