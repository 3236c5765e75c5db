import path from 'node:path';

/**
 * SPEC invariant 5: app databases and settings are never selected, whatever the selection says.
 * Checked on every path component so a `Msg` or `nt_db` folder anywhere below a source is skipped
 * whole, and on the file name for database files and their journals.
 */
const PROTECTED_FOLDERS = new Set(['nt_db', 'mmkv', 'msg', 'databases', 'dbs', 'db_storage']);
/**
 * WeChat 3.x keeps its databases in `Msg`; WeChat 4.x keeps pictures in `msg/attach` and video
 * thumbnails in `msg/video` (and its databases in `db_storage`). Inside a protected `msg`, only
 * those two may be entered.
 */
export const ALLOWED_INSIDE_MSG: readonly string[] = ['attach', 'video'];
const PROTECTED_FILE = /\.(db|db-wal|db-shm|db-journal|sqlite|sqlite3)$/i;

export function isProtectedFolderName(name: string): boolean {
  return PROTECTED_FOLDERS.has(name.toLowerCase());
}

export function isProtectedFileName(name: string): boolean {
  return PROTECTED_FILE.test(name);
}

/** True when any component of path (either flavour) names a protected folder or file. */
export function isProtectedPath(p: string): boolean {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  const file = parts.pop() ?? '';
  return (
    isProtectedFileName(file) ||
    parts.some((name, i) => isProtectedFolderName(name) && !(name.toLowerCase() === 'msg' && ALLOWED_INSIDE_MSG.includes(parts[i + 1]?.toLowerCase())))
  );
}

/** True when child is inside (or equal to) parent; both absolute in this platform's flavour. */
export function isInside(parent: string, child: string, p: path.PlatformPath = path): boolean {
  const rel = p.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}
