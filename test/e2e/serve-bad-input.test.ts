import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { assertClean, picvault } from '../helpers/cli.js';
import { buildTree } from '../helpers/images.js';
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
    assertClean(await picvault(['serve', '--vault', vault, '--port', String(port)], { env }), 2, new RegExp(`cannot listen on port ${port}: EADDRINUSE`));
    const zh = await picvault(['serve', '--vault', vault, '--port', String(port), '--lang', 'zh'], { env });
    assertClean(zh, 2, /无法监听端口/);
  } finally {
    taken.close();
  }
  assert.deepEqual(await readdir(root).then((n) => n.sort()), ['cache-src', 'vault'], 'no cache folder made by a failed start');
});
