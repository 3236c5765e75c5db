import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { assertClean, picvault } from '../helpers/cli.js';
import { buildTree } from '../helpers/images.js';
import { spawnServe, stopServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

test('serve refuses bad input with one clear line and its exit code, and leaves nothing behind', async () => {
  const root = await tempDir();
  const cache = path.join(root, 'cache');
  const env = { PICVAULT_CACHE_DIR: cache };
  assertClean(await picvault(['serve'], { env }), 2, /name the vault with --vault/);
  assertClean(await picvault(['serve', '--vault', path.join(root, 'nothing')], { env }), 10, /no vault at/);
  assertClean(await picvault(['serve', '--vault', root, '--port', '70000'], { env }), 2, /--port takes a number from 0 to 65535/);
  assertClean(await picvault(['serve', '--vault', root, '--port', 'http'], { env }), 2, /--port takes a number/);
  assertClean(await picvault(['serve', '--vault', root, '--lang', 'zh', '--port', '-1'], { env }), 2, /--port|选项/);

  const src = path.join(root, 'cache-src');
  await buildTree(src, 1, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const busy = await picvault(['serve', '--vault', vault, '--port', String(port)], { env });
    assertClean(busy, 2, new RegExp(`port ${port} is already in use .*: choose another with --port N, or leave out --port`));
    assert.doesNotMatch(busy.stderr, /EADDRINUSE/, 'said in words, not as the system\'s code');
    const zh = await picvault(['serve', '--vault', vault, '--port', String(port), '--lang', 'zh'], { env });
    assertClean(zh, 2, new RegExp(`端口 ${port} 已被占用.*--port N 换一个端口`));
  } finally {
    taken.close();
  }
  assert.deepEqual(await readdir(root).then((n) => n.sort()), ['cache-src', 'vault'], 'no cache folder made by a failed start');
});

test('serve stopped by Ctrl-C, a kill (SIGTERM) or a closed terminal (SIGHUP) exits 0 and leaves the vault as it found it', { skip: process.platform === 'win32' && 'POSIX signals' }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  await buildTree(src, 2, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  const before = (await readdir(vault)).sort();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const s = await spawnServe(vault, path.join(root, 'cache'));
    let code: number | null;
    try {
      // The overview read first: the catalogue is open (its -wal and -shm exist) when the signal lands.
      const login = await fetch(s.url, { redirect: 'manual' });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      assert.equal((await fetch(new URL('/', s.url), { headers: { cookie } })).status, 200);
    } finally {
      code = await stopServe(s, signal);
    }
    assert.equal(code, 0, `${signal}: ${s.out()}`);
    assert.doesNotMatch(s.out(), /\n\s+at /, 'no stack trace');
    assert.deepEqual((await readdir(vault)).sort(), before, `${signal}: no -wal or -shm left beside the catalogue`);
  }
});

// xdg-open with no browser to hand the address to exits 3 ("no method available"): BROWSER=false
// is such a machine, whatever this one has installed.
test('serve --open with no browser says the page could not be opened and to open the printed address', { skip: (process.platform !== 'linux' || !hasXdgOpen()) && 'needs xdg-open (Linux)' }, async () => {
  const root = await tempDir();
  const src = path.join(root, 'src');
  await buildTree(src, 1, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  for (const [lang, said] of [['en', /the page could not be opened in a browser here .*: open the address above in your browser yourself/], ['zh', /无法在此自动用浏览器打开页面.*请自己在浏览器中打开上面的地址/]] as const) {
    const s = await spawnServe(vault, path.join(root, 'cache'), { args: ['--open', '--lang', lang], env: { BROWSER: 'false', DISPLAY: '', WAYLAND_DISPLAY: '' } });
    try {
      await waitFor(() => said.test(s.out()), 10_000);
      assert.doesNotMatch(s.out(), /\n\s+at /, 'no stack trace');
    } finally {
      assert.equal(await stopServe(s), 0, s.out());
    }
  }
});

function hasXdgOpen(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => existsSync(path.join(d, 'xdg-open')));
}

async function waitFor(ok: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) assert.fail('not said in time');
}
