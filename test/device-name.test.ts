import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDeviceName } from '../src/core/device-name.js';
import { PicvaultError } from '../src/errors.js';

test('a device name must be one a folder can have on any system', () => {
  for (const good of ['pc', 'laptop-2', '张三的电脑', 'DESKTOP-7QK2M1B', 'a.b', 'x'.repeat(128)]) assert.equal(checkDeviceName(good), good);
  for (const bad of ['', ' ', '.', '..', 'a/b', 'a\\b', 'C:', 'a*b', 'a?b', 'a"b', 'a<b', 'a>b', 'a|b', 'pc\n2', 'pc\u0000', 'pc\u007f', ' pc', 'pc ', 'x'.repeat(129), '图'.repeat(43)]) {
    assert.throws(() => checkDeviceName(bad), (err: unknown) => err instanceof PicvaultError && err.key === 'device.bad' && err.exitCode === 2, JSON.stringify(bad));
  }
});
