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

/** Opens the browser and resolves at once; rejects only when the opener cannot be started. */
export function openBrowser(url: string): Promise<void> {
  const [cmd, args] = browserCommand(url);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
