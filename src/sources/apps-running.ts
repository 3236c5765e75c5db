import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Process names of the chat apps whose caches picvault cleans. */
const WINDOWS = ['qq.exe', 'qqnt.exe', 'wechat.exe', 'weixin.exe', 'wechatappex.exe'];
const MAC = ['QQ', 'WeChat', '微信'];

/**
 * Which chat apps are running: deleting under a running app can confuse it. Known on Windows
 * (tasklist) and macOS (pgrep); elsewhere, or when the check itself fails, nothing is known and
 * nothing is reported.
 */
export async function chatAppsRunning(platform: NodeJS.Platform = process.platform): Promise<string[]> {
  try {
    if (platform === 'win32') {
      const { stdout } = await run('tasklist', ['/fo', 'csv', '/nh'], { windowsHide: true, maxBuffer: 8 << 20 });
      const names = new Set(stdout.split(/\r?\n/).map((l) => l.split('","')[0].replace(/^"/, '').toLowerCase()));
      return WINDOWS.filter((n) => names.has(n));
    }
    if (platform === 'darwin') {
      const found: string[] = [];
      for (const name of MAC) {
        const ok = await run('pgrep', ['-x', name]).then(() => true, () => false);
        if (ok) found.push(name);
      }
      return found;
    }
  } catch {
    // The check is a courtesy; failing it must not block or crash a clean.
  }
  return [];
}
