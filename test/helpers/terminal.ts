import { execFile } from 'node:child_process';
import { BIN, userEnv } from './cli.js';

export interface TerminalRun {
  /** The exit code (a signal's death is 128 + the signal). */
  code: number;
  /** What the screen showed: stdout and stderr together. */
  out: string;
  /** When `look` was given: each file and folder under it, with its mode (octal), as they were while the question was up. */
  seen: Record<string, string> | null;
}

/**
 * Drives the real binary in a pseudo-terminal (Python's pty: node has none of its own), as a user
 * at a keyboard: once `[y/N]` appears, `keys` are typed (`\x03` is Ctrl-C), after a look at the
 * folder `look` if one is given.
 */
const DRIVER = `
import json, os, pty, select, sys
argv, keys, look, prompt = json.loads(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], sys.argv[4].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out, seen, typed = b'', None, False
while select.select([fd], [], [], 60)[0]:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not typed and prompt in out:
        if look:
            seen = {}
            for root, dirs, files in os.walk(look):
                for name in dirs + files:
                    p = os.path.join(root, name)
                    seen[os.path.relpath(p, look)] = oct(os.stat(p).st_mode & 0o777)[2:]
        os.write(fd, keys)
        typed = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'seen': seen, 'code': os.waitstatus_to_exitcode(status), 'out': out.decode('utf8', 'replace')}))
`;

export function inTerminal(args: string[], keys: string, options: { env?: NodeJS.ProcessEnv; look?: string; prompt?: string } = {}): Promise<TerminalRun> {
  const driverArgs = [JSON.stringify([process.execPath, BIN, ...args]), keys, options.look ?? '', options.prompt ?? '[y/N]'];
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', DRIVER, ...driverArgs], { env: userEnv({ TERM: 'dumb', ...options.env }) }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as TerminalRun)));
  });
}
