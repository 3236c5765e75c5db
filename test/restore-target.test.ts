import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cleanName, flavourOf, folderHolding, originalTarget, pathNames, targetUnder } from '../src/core/restore-target.js';

const { win32, posix } = path;

test('catalogued paths of either flavour are recognised', () => {
  assert.equal(flavourOf('D:\\Documents\\Tencent Files\\1234\\Image\\a.jpg'), win32);
  assert.equal(flavourOf('c:/Users/张三/Pictures/a.jpg'), win32);
  assert.equal(flavourOf('\\\\nas\\share\\pics\\a.jpg'), win32);
  assert.equal(flavourOf('/home/zhang/图片/a.jpg'), posix);
  assert.deepEqual(pathNames('d:\\Documents\\微信\\a.jpg'), ['D', 'Documents', '微信', 'a.jpg']);
  assert.deepEqual(pathNames('\\\\nas\\share\\a.jpg'), ['nas', 'share', 'a.jpg']);
});

test('--to DIR mirrors device and original path, on Windows and POSIX destinations', () => {
  assert.equal(
    targetUnder('E:\\restore', 'laptop', 'D:\\Documents\\Tencent Files\\12345678\\Image\\Group2\\AB\\CD\\{A1B2}.jpg', win32),
    'E:\\restore\\laptop\\D\\Documents\\Tencent Files\\12345678\\Image\\Group2\\AB\\CD\\{A1B2}.jpg',
  );
  assert.equal(targetUnder('/mnt/back', 'laptop', 'C:\\Users\\李\\图片\\a.jpg', posix), '/mnt/back/laptop/C/Users/李/图片/a.jpg');
  assert.equal(targetUnder('C:\\back', 'mac', '/Users/li/Pictures/a:b?.jpg', win32), 'C:\\back\\mac\\Users\\li\\Pictures\\a_b_.jpg');
  // Long Windows paths stay whole (the \\?\ prefix is Node's job on write, not ours to drop).
  const deep = 'D:\\' + Array.from({ length: 40 }, (_, i) => `folder${i}`).join('\\') + '\\a.jpg';
  assert.ok(targetUnder('E:\\r', 'pc', deep, win32)!.length > 260);
});

test('crafted paths cannot lead outside the destination', () => {
  const crafted = ['../../x', '/etc/x', '..\\..\\x', 'C:\\Windows\\..\\..\\x', '/a/../../../etc/passwd', 'C:\\..\\..\\x', '\\\\..\\..\\x', '..', ''];
  for (const dest of ['/srv/back', 'E:\\back']) {
    const flavour = dest.startsWith('/') ? posix : win32;
    for (const p of crafted) {
      for (const device of ['pc', '..', '../..', 'C:', '']) {
        const t = targetUnder(dest, device, p, flavour);
        if (t === null) continue;
        const rel = flavour.relative(dest, t);
        assert.ok(rel && !rel.startsWith('..') && !flavour.isAbsolute(rel), `${device} ${p} → ${t}`);
      }
    }
  }
  assert.equal(cleanName('..'), null);
  assert.equal(cleanName('CON', win32), '_CON');
  assert.equal(cleanName('name. ', win32), 'name');
});

test('restoring in place takes only a normalised absolute path inside its own root', () => {
  assert.equal(originalTarget('/home/u/cache', '/home/u/cache/a/b.jpg', posix), '/home/u/cache/a/b.jpg');
  assert.equal(originalTarget('/home/u/cache', '/home/u/cache/../../../etc/passwd', posix), null);
  assert.equal(originalTarget('/home/u/cache', '/etc/passwd', posix), null);
  assert.equal(originalTarget('/home/u/cache', 'C:\\Windows\\x', posix), null);
  assert.equal(originalTarget('/home/u/cache', '/home/u/cache', posix), null);
  assert.equal(originalTarget('D:\\Tencent Files', 'D:\\Tencent Files\\1\\a.jpg', win32), 'D:\\Tencent Files\\1\\a.jpg');
  assert.equal(originalTarget('D:\\Tencent Files', 'C:\\Windows\\x', win32), null);
  assert.equal(originalTarget('D:\\Tencent Files', 'D:\\Tencent Files\\..\\x', win32), null);
});

test('in place, a target must lie inside a trusted folder, on Windows (any case) and POSIX', () => {
  const qq = 'D:\\Documents\\Tencent Files';
  assert.equal(folderHolding([qq], 'd:\\documents\\tencent files\\12345678\\Image\\a.jpg', win32), qq);
  assert.equal(folderHolding([qq], 'D:\\Documents\\Tencent Files2\\a.jpg', win32), null);
  assert.equal(folderHolding([qq], 'C:\\Windows\\a.jpg', win32), null);
  assert.equal(folderHolding(['/home/张三/cache'], '/home/张三/cache/图片/a.jpg', posix), '/home/张三/cache');
  assert.equal(folderHolding(['/home/u/cache'], '/home/u/cache2/a.jpg', posix), null);
  assert.equal(folderHolding(['relative/cache'], 'relative/cache/a.jpg', posix), null, 'only absolute folders');
  assert.equal(folderHolding([], '/home/u/cache/a.jpg', posix), null);
});
