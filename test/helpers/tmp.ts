import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/**
 * A fresh folder for one test, removed when the test file ends. Readable by everyone so a test
 * can run the binary as an unprivileged user (see runAs in cli.ts).
 */
export async function tempDir(prefix = 'picvault-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
