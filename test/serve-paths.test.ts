import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { defaultCacheDir } from '../src/web/cache-dir.js';
import { browserCommand } from '../src/web/open-browser.js';
import { exampleFolder, restoreFolder } from '../src/web/params.js';
import { PathIndex } from '../src/core/path-index.js';

test('the thumbnail cache is the system cache folder of each platform, or PICVAULT_CACHE_DIR', () => {
  assert.equal(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\李雷\\AppData\\Local' }, 'win32', 'C:\\Users\\李雷'), 'C:\\Users\\李雷\\AppData\\Local\\picvault\\Cache');
  assert.equal(defaultCacheDir({}, 'win32', 'C:\\Users\\me'), 'C:\\Users\\me\\AppData\\Local\\picvault\\Cache');
  assert.equal(defaultCacheDir({}, 'darwin', '/Users/me'), '/Users/me/Library/Caches/picvault');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, 'linux', '/home/me'), '/var/cache/me/picvault');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/me'), '/home/me/.cache/picvault', 'a relative XDG path is ignored, as the spec says');
  assert.equal(defaultCacheDir({ PICVAULT_CACHE_DIR: '/tmp/x' }, 'win32', 'C:\\Users\\me'), '/tmp/x');
});

test('--open starts the default browser on Windows, macOS and Linux', () => {
  assert.deepEqual(browserCommand('http://127.0.0.1:5/?token=a', 'win32'), ['cmd', ['/c', 'start', '""', 'http://127.0.0.1:5/?token=a']]);
  assert.deepEqual(browserCommand('http://127.0.0.1:5/?token=a', 'darwin'), ['open', ['http://127.0.0.1:5/?token=a']]);
  assert.deepEqual(browserCommand('http://127.0.0.1:5/?token=a', 'linux'), ['xdg-open', ['http://127.0.0.1:5/?token=a']]);
});

test('the folder a restore writes into: absolute in this platform\'s flavour, no "..", not inside the vault', () => {
  const w = path.win32;
  assert.deepEqual(restoreFolder('D:\\照片\\恢复', 'E:\\vault', w), { folder: 'D:\\照片\\恢复' });
  assert.deepEqual(restoreFolder('\\\\nas\\share\\pics', 'E:\\vault', w), { folder: '\\\\nas\\share\\pics' });
  assert.deepEqual(restoreFolder('\\\\?\\D:\\very\\long\\path', 'E:\\vault', w), { folder: '\\\\?\\D:\\very\\long\\path' });
  assert.deepEqual(restoreFolder('D:photos', 'E:\\vault', w), { problem: 'web.folder.notAbsolute' });
  assert.deepEqual(restoreFolder('\\photos', 'E:\\vault', w), { problem: 'web.folder.notAbsolute' }, 'no drive: relative to the current drive');
  assert.deepEqual(restoreFolder('D:\\a\\..\\..\\b', 'E:\\vault', w), { problem: 'web.folder.notAbsolute' });
  assert.deepEqual(restoreFolder('e:\\VAULT\\archives', 'E:\\vault', w), { problem: 'web.folder.inVault' }, 'Windows names ignore case');
  const p = path.posix;
  assert.deepEqual(restoreFolder('/home/me/恢复', '/mnt/usb/vault', p), { folder: '/home/me/恢复' });
  assert.deepEqual(restoreFolder('D:\\backup', '/mnt/usb/vault', p), { problem: 'web.folder.otherPlatform' });
  assert.deepEqual(restoreFolder('/mnt/usb/vault/x', '/mnt/usb/vault', p), { problem: 'web.folder.inVault' });
  assert.deepEqual(restoreFolder('/a/\u0000b', '/v', p), { problem: 'web.folder.notAbsolute' });
  assert.deepEqual(restoreFolder('   ', '/v', p), { problem: 'web.folder.empty' });
});

test('the restore box\'s example is the user\'s Pictures folder in the platform\'s own flavour, and is accepted there', () => {
  const w = exampleFolder('C:\\Users\\李雷', path.win32);
  assert.equal(w, 'C:\\Users\\李雷\\Pictures\\restored');
  assert.deepEqual(restoreFolder(w, 'E:\\vault', path.win32), { folder: w });
  const p = exampleFolder('/home/lilei', path.posix);
  assert.equal(p, '/home/lilei/Pictures/restored');
  assert.deepEqual(restoreFolder(p, '/mnt/usb/vault', path.posix), { folder: p });
  assert.deepEqual(restoreFolder(exampleFolder(), '/nowhere/vault'), { folder: exampleFolder() }, 'this machine\'s own example');
});

test('the index of paths finds every place whose path holds a text, ignoring ASCII case, in id order, and grows by appending', () => {
  const index = new PathIndex();
  const places = [
    { id: 3, path: 'C:\\Users\\李雷\\Documents\\WeChat Files\\wxid_a\\FileStorage\\Image\\2024-05\\A1.dat' },
    { id: 7, path: '/home/me/Pictures/cat.GIF' },
    { id: 9, path: 'C:\\Users\\李雷\\Pictures\\gif\\dog.jpg' },
  ];
  index.refresh((after) => places.filter((p) => p.id > after));
  assert.deepEqual([...index.find('.gif')], [7]);
  assert.deepEqual([...index.find('GIF')], [7, 9], 'one id per place, however often it matches');
  assert.deepEqual([...index.find('李雷\\pictures')], [9]);
  assert.deepEqual([...index.find('wechat files\\wxid_a')], [3]);
  assert.deepEqual([...index.find('gif', 7)], [9], 'from the first id after the one given');
  assert.deepEqual([...index.find('nothing')], []);
  assert.deepEqual([...index.find('dat\nC:')], [], 'a match never spans two paths');
  places.push({ id: 12, path: '/mnt/phone/DCIM/gif-party.webp' });
  index.refresh((after) => places.filter((p) => p.id > after));
  assert.deepEqual([...index.find('gif')], [7, 9, 12]);
});
