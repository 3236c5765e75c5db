import { spawn } from 'node:child_process';

/**
 * The command that opens an address in the default browser, per platform. On Windows `start`
 * is a cmd built-in whose first quoted argument is a window title, hence the empty one.
 */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  if (platform === 'darwin') return ['open', [url]];
  return ['xdg-open', [url]];
}

/**
 * How long the opener is given to fail. xdg-open, `open` and `start` hand the address to the
 * browser and exit at once, and fail at once when there is no browser (xdg-open exits 3: "no
 * method available"); an opener that runs the browser itself stays running, and that is a success.
 */
const OPENER_GRACE_MS = 5_000;

/**
 * Opens the browser. Rejects when the opener cannot be started or exits with a failure, so that
 * serve can say the page was not opened (a machine with no browser gave no sign at all).
 */
export function openBrowser(url: string, [cmd, args] = browserCommand(url)): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, OPENER_GRACE_MS);
    timer.unref();
    const settle = (err: Error | null) => {
      clearTimeout(timer);
      child.unref();
      if (err) reject(err);
      else resolve();
    };
    child.once('error', settle);
    child.once('exit', (code, signal) => settle(code === 0 ? null : new Error(`${cmd}: ${signal ?? `exit ${code}`}`)));
  });
}
