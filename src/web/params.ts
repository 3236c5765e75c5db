import os from 'node:os';
import path from 'node:path';
import { flavourOf } from '../core/restore-target.js';
import { isInside } from '../sources/protected.js';

/**
 * The page's parameters, checked before anything reads them. Each returns null for what it does
 * not accept, and the route answers 400 (a hash or month that is not one never reaches a query or
 * a file name).
 */

export const fullHash = (s: string | undefined): string | null => (s && /^[0-9a-f]{16}$/.test(s) ? s : null);
export const hashPrefix = (s: string | undefined): string | null => (s && /^[0-9a-f]{1,16}$/i.test(s) ? s.toLowerCase() : null);
export const month = (s: string | undefined): string | null => (s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s) ? s : null);
export const day = (s: string | undefined): string | null => (s && /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(s) ? s : null);
export const offset = (s: string | undefined): number => {
  const n = Number(s ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};
/** A short word from a fixed set of values the catalogue uses (a source, a kind, a type, a device name, a chat id). */
export const word = (s: string | undefined): string | undefined => (s && s.length <= 200 && !/[\u0000-\u001f]/.test(s) ? s : undefined);

export type FolderCheck = { folder: string } | { problem: 'web.folder.empty' | 'web.folder.notAbsolute' | 'web.folder.otherPlatform' | 'web.folder.inVault' };

/**
 * The folder a restore writes into, as restore's own paths are checked (core/restore-target): an
 * absolute path in this platform's flavour (`D:\photos` means nothing on Linux and is never made a
 * folder of that name), no `..` and no control characters, and not inside the vault. What lies
 * under it is restore's to check: every target must stay inside it, planted symlinks included.
 */
export function restoreFolder(given: string | undefined, vault: string, target: path.PlatformPath = path): FolderCheck {
  const raw = (given ?? '').trim();
  if (raw === '') return { problem: 'web.folder.empty' };
  if (/[\u0000-\u001f]/.test(raw)) return { problem: 'web.folder.notAbsolute' };
  if (target === path.posix && flavourOf(raw) === path.win32) return { problem: 'web.folder.otherPlatform' };
  if (!target.isAbsolute(raw) || raw.split(/[\\/]+/).includes('..')) return { problem: 'web.folder.notAbsolute' };
  if (target === path.win32 && !/^([A-Za-z]:[\\/]|[\\/]{2}[^\\/])/.test(raw)) return { problem: 'web.folder.notAbsolute' };
  const folder = target.normalize(raw);
  if (isInside(vault, folder, target)) return { problem: 'web.folder.inVault' };
  return { folder };
}

/**
 * The folder the restore box suggests: the user's own Pictures/restored, in this machine's path
 * flavour (a Windows example on Linux was refused when typed in as shown).
 */
export const exampleFolder = (home: string = os.homedir(), target: path.PlatformPath = path): string => target.join(home, 'Pictures', 'restored');
