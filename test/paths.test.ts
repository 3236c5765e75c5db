import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { isWindowsOnlyPath } from '../src/cli/paths.js';

test('a path that only means something on Windows is one on Linux and macOS, and an ordinary path on Windows', () => {
  const windowsOnly = ['D:\\backup', 'D:', 'd:/backup', 'C:\\Users\\张三\\Documents\\Tencent Files', '\\\\nas\\photos', 'photos\\2024', path.win32.join('E:\\', '备份')];
  const everywhere = ['/mnt/backup', './backup', 'backup', '/media/usb/照片', '~/vault', path.posix.join('/Volumes', 'USB', 'vault')];
  for (const platform of ['linux', 'darwin'] as const) {
    for (const p of windowsOnly) assert.equal(isWindowsOnlyPath(p, platform), true, `${platform}: ${p}`);
    for (const p of everywhere) assert.equal(isWindowsOnlyPath(p, platform), false, `${platform}: ${p}`);
  }
  for (const p of [...windowsOnly, ...everywhere]) assert.equal(isWindowsOnlyPath(p, 'win32'), false, `win32: ${p}`);
});
