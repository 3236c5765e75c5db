import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSelection, type Selectable } from '../src/core/selection.js';
import { dateOf, localStamp } from '../src/media/dating.js';
import { isPlausibleStamp, normaliseExifStamp } from '../src/media/exif-date.js';
import { parseDay, parseSize, toSelection } from '../src/cli/options.js';
import type { FoundFile } from '../src/sources/types.js';

const item = (over: Partial<Selectable> = {}): Selectable => ({
  taken: '2024-05-31 23:59:59', month: '2024-05', path: 'D:\\Tencent Files\\1\\Image\\a.GIF', size: 3_000_000,
  source: 'folder', kind: 'original', device: 'pc', hash: '9f3c1a0011223344', ...over,
});

test('--before is strictly before the day, --since inclusive, --month exact', () => {
  const before = compileSelection(toSelection({ before: '2024-06' }));
  assert.equal(before(item()), true);
  assert.equal(before(item({ taken: '2024-06-01 00:00:00', month: '2024-06' })), false);
  const since = compileSelection(toSelection({ since: '2024-05-31' }));
  assert.equal(since(item()), true);
  assert.equal(since(item({ taken: '2024-05-30 10:00:00' })), false);
  assert.equal(compileSelection({ month: '2024-05' })(item()), true);
  assert.equal(compileSelection({ month: '2024-04' })(item()), false);
});

test('--path selects a real QQ Group2 name by its literal text, and by a glob with its brackets escaped in brackets', () => {
  const name = 'W}A0C2UN[VA8EL]QH6O@0[A.png';
  const group2 = item({ path: `D:\\Tencent Files\\1\\Image\\Group2\\W}\\A0\\${name}` });
  const other = item({ path: 'D:\\Tencent Files\\1\\Image\\Group2\\W}\\A0\\W}A0C2UNVQH6O@0[A.png' });
  for (const pattern of [name, name.toLowerCase(), `W}\\A0\\${name}`, `W}/A0/${name}`, 'W}A0C2UN[[]VA8EL[]]QH6O@0[[]A.png', 'W}A0C2UN*']) {
    assert.equal(compileSelection({ path: pattern })(group2), true, pattern);
  }
  // As a glob, [VA8EL] is one of five letters; in brackets each character means itself alone.
  assert.equal(compileSelection({ path: name })(other), true, 'the name is still a glob too');
  assert.equal(compileSelection({ path: 'W}A0C2UN[[]VA8EL[]]QH6O@0[[]A.png' })(other), false, 'escaped, it names that file only');
  assert.equal(compileSelection({ path: `A0/${name}` })(item({ path: `/x/BA0/${name}` })), false, 'a literal path matches whole names');
});

test('--hash prefix, --path glob on either path flavour, --min-size, --device, --source', () => {
  assert.equal(compileSelection({ hashes: ['9f3c1a'] })(item()), true);
  assert.equal(compileSelection({ hashes: ['9f3c1b'] })(item()), false);
  assert.equal(compileSelection({ path: '*.gif' })(item()), true, 'a slash-less glob names files, case-insensitively');
  assert.equal(compileSelection({ path: '**/Image/**' })(item()), true);
  assert.equal(compileSelection({ path: '/home/**' })(item()), false);
  assert.equal(compileSelection({ path: '/home/**/*.jpg' })(item({ path: '/home/u/图片/a.jpg' })), true);
  assert.equal(compileSelection(toSelection({ minSize: '2MB' }))(item()), true);
  assert.equal(compileSelection(toSelection({ minSize: '3MB' }))(item()), false);
  assert.equal(compileSelection({ devices: ['phone'] })(item()), false);
  assert.equal(compileSelection({ sources: ['qq'] })(item()), false);
});

test('dates and sizes from the command line are checked', () => {
  assert.equal(parseDay('--before', '2024-06'), '2024-06-01');
  assert.equal(parseDay('--before', '2024-02-29'), '2024-02-29');
  for (const bad of ['2024-13', '2023-02-29', '2024-6', '24-06', 'june']) assert.throws(() => parseDay('--before', bad), /date\.bad/);
  assert.equal(parseSize('--min-size', '2MB'), 2 * 1024 * 1024);
  assert.equal(parseSize('--min-size', '1.5 GiB'), 1.5 * 1024 ** 3);
  assert.throws(() => parseSize('--min-size', '2 parsecs'), /size\.bad/);
});

test('SPEC dating: plausible EXIF for folders, earliest file time otherwise, folder month for chat layouts', () => {
  const now = Date.parse('2026-11-22T00:00:00Z');
  const file = (over: Partial<FoundFile> = {}): FoundFile => ({
    path: '/x/a.jpg', root: '/x', source: 'folder', kind: 'original', size: 1,
    mtimeMs: new Date(2024, 2, 10, 12).getTime(), birthtimeMs: new Date(2024, 1, 3, 9).getTime(), ...over,
  });
  assert.equal(normaliseExifStamp('2008:05:30 15:56:01'), '2008-05-30 15:56:01');
  assert.equal(normaliseExifStamp('2014:10:08 05:10:88'), null);
  assert.equal(normaliseExifStamp('0000:00:00 00:00:00'), null);
  assert.equal(isPlausibleStamp('2099-09-29 10:10:10', now), false);
  assert.equal(isPlausibleStamp('1994-12-31 23:59:59', now), false);
  assert.equal(isPlausibleStamp('2026-11-22 10:00:00', now), true);

  assert.deepEqual(dateOf(file(), '2008-05-30 15:56:01', now), { taken: '2008-05-30 15:56:01', month: '2008-05', dateRule: 'exif', exifDate: '2008-05-30 15:56:01' });
  const future = dateOf(file(), '2099-09-29 10:10:10', now);
  assert.equal(future.dateRule, 'file-time');
  assert.equal(future.taken, localStamp(new Date(2024, 1, 3, 9).getTime()), 'the earliest of creation and modification');
  assert.equal(dateOf(file({ birthtimeMs: 0 }), null, now).month, '2024-03', 'no creation time: modification time');
  // A forwarded photo in a chat cache: its EXIF says when it was taken, not when it arrived.
  const chat = dateOf(file({ source: 'wechat', folderMonth: '2023-11' }), '2008-05-30 15:56:01', now);
  assert.deepEqual([chat.month, chat.dateRule, chat.exifDate], ['2023-11', 'folder', '2008-05-30 15:56:01']);
  assert.equal(dateOf(file({ source: 'qq' }), '2008-05-30 15:56:01', now).dateRule, 'file-time');
});
