import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { defaultCachePlaces, discoverCaches } from '../src/sources/discover.js';
import { tempDir } from './helpers/tmp.js';

/**
 * Settings written on Windows name Windows folders: a drive letter and backslashes, whatever
 * machine reads them. (The e2e caches test finds moved folders that exist, on this machine's paths.)
 */
test('settings that moved the caches to another drive are looked in, in the Windows flavour they were written in', async () => {
  const root = await tempDir();
  const home = path.join(root, 'Users', 'me');
  const qq = path.join(root, 'Users', 'Public', 'Documents', 'Tencent', 'QQ', 'UserDataInfo.ini');
  const wechat = path.join(home, 'AppData', 'Roaming', 'Tencent', 'WeChat', 'All Users', 'config', '3ebffe94.ini');
  const wechat4 = path.join(home, 'AppData', 'Roaming', 'Tencent', 'xwechat', 'config', 'a1b2.ini');
  for (const f of [qq, wechat, wechat4]) await mkdir(path.dirname(f), { recursive: true });
  await writeFile(qq, '[UserDataInfo]\r\nUserDataSavePath=C:\\wrong section\r\n[UserDataSet]\r\nuserdatasavepath = D:\\聊天\\QQ\r\n');
  // WeChat 3.x's setting in GBK, as a Chinese Windows writes it: E:\微信.
  await writeFile(wechat, Buffer.from([0x45, 0x3a, 0x5c, 0xce, 0xa2, 0xd0, 0xc5]));
  await writeFile(wechat4, 'F:\\xwechat\r\n');
  const { lookedIn } = await discoverCaches(home);
  const moved = lookedIn.filter((c) => c.via === 'setting').map((c) => [c.app, c.path]);
  assert.deepEqual(moved, [
    ['QQ', 'D:\\聊天\\QQ\\Tencent Files'],
    ['WeChat', 'E:\\微信\\WeChat Files'],
    ['WeChat 4', 'F:\\xwechat\\xwechat_files'],
  ]);
  // A drive's root chosen for QQ holds its "Tencent Files".
  await writeFile(qq, '[UserDataSet]\r\nUserDataSavePath=D:\\\r\n');
  assert.deepEqual((await discoverCaches(home)).lookedIn.find((c) => c.via === 'setting' && c.app === 'QQ')?.path, 'D:\\Tencent Files');
});

test('a QQ setting left at its default, or naming no absolute folder, adds nothing', async () => {
  const root = await tempDir();
  const home = path.join(root, 'Users', 'me');
  const qq = path.join(root, 'Users', 'Public', 'Documents', 'Tencent', 'QQ', 'UserDataInfo.ini');
  await mkdir(path.dirname(qq), { recursive: true });
  for (const text of ['[UserDataSet]\r\nUserDataSavePathType=1\r\n', '[UserDataSet]\r\nUserDataSavePath=\r\n', '[UserDataSet]\r\nUserDataSavePath=Tencent Files\r\n']) {
    await writeFile(qq, text);
    assert.deepEqual((await discoverCaches(home)).lookedIn.filter((c) => c.via === 'setting'), [], text);
  }
});

test('each system has its own default cache places, in its own path flavour', () => {
  const places = (home: string, platform: NodeJS.Platform) => defaultCachePlaces(home, platform).map((c) => [c.app, c.path]);
  assert.deepEqual(places('C:\\Users\\李雷', 'win32'), [
    ['QQ', 'C:\\Users\\李雷\\Documents\\Tencent Files'],
    ['WeChat', 'C:\\Users\\李雷\\Documents\\WeChat Files'],
    ['WeChat 4', 'C:\\Users\\李雷\\Documents\\xwechat_files'],
  ]);
  assert.deepEqual(places('/Users/lilei', 'darwin'), [
    ['QQ', '/Users/lilei/Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ'],
    ['WeChat', '/Users/lilei/Library/Containers/com.tencent.xinWeChat/Data/Library/Application Support/com.tencent.xinWeChat'],
    ['WeChat 4', '/Users/lilei/Library/Containers/com.tencent.xinWeChat/Data/Documents/xwechat_files'],
  ]);
  // QQ for Linux keeps its accounts (nt_qq_<hash>) in ~/.config/QQ; WeChat for Linux 4.x in ~/Documents/xwechat_files.
  const linux = places('/home/李雷', 'linux');
  assert.deepEqual(linux.slice(0, 3), [
    ['QQ', '/home/李雷/.config/QQ'],
    ['WeChat 4', '/home/李雷/Documents/xwechat_files'],
    ['WeChat 4', '/home/李雷/xwechat_files'],
  ]);
  assert.ok(linux.every(([, p]) => !p.includes('Library')), 'no macOS folder on Linux');
});
