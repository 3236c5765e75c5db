import { spawn } from 'node:child_process';
import { BIN, ran, userEnv, type Run } from './cli.js';

/**
 * Drives the real binary in a pseudo-terminal (Python's pty: node has none of its own), as a
 * user at a keyboard: once `prompt` appears, `keys` are typed. stdout and stderr arrive mixed,
 * as on a screen. `signal` is set when the terminal run was killed.
 */
const DRIVER = `
import os, pty, select, sys, time
prompt, keys, argv = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
screen, typed, deadline = b'', False, time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    if not typed and prompt in screen:
        os.write(fd, keys)
        typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(screen)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 200)
`;

export function inTerminal(args: string[], prompt: string, keys: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return ran(spawn('python3', ['-c', DRIVER, prompt, keys, process.execPath, BIN, ...args], { env: userEnv({ TERM: 'dumb', ...env }) }));
}
