import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A folder only this user can open (mkdtemp makes it mode 0700) in the temporary folder, for
 * files that show private pictures (clean's preview). It is removed by remove(), and in any case
 * when the process exits, Ctrl-C included (the CLI exits through process.exit); only a SIGKILL
 * leaves it, and then still closed to other users.
 */
const open = new Set<string>();
let hooked = false;

export interface PrivateTemp {
  dir: string;
  remove(): void;
}

export function privateTempDir(prefix: string): PrivateTemp {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  open.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of open) rmSync(d, { recursive: true, force: true });
    });
  }
  return {
    dir,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      open.delete(dir);
    },
  };
}
