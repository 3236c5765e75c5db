import os from 'node:os';
import path from 'node:path';

/**
 * Where thumbnails are cached: the system's cache folder, never the vault (which may be on a
 * read-only drive): %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS, $XDG_CACHE_HOME (or
 * ~/.cache) elsewhere. PICVAULT_CACHE_DIR overrides it (tests, a portable setup).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.PICVAULT_CACHE_DIR) return env.PICVAULT_CACHE_DIR;
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'picvault', 'Cache');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'picvault');
  const xdg = env.XDG_CACHE_HOME && path.posix.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.posix.join(home, '.cache');
  return path.posix.join(xdg, 'picvault');
}
