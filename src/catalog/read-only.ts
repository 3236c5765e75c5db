import { statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, PicvaultError, errnoCode } from '../errors.js';
import { Database } from './sqlite.js';

/** What SQLite or the system says when it may not write beside the catalogue, or to it. */
export const isReadOnlyCode = (code: string | undefined) => /READONLY|CANTOPEN|EACCES|EROFS|EPERM/.test(code ?? '');

/**
 * A connection that only reads a catalogue on a write-protected drive, a read-only mount or in a
 * folder the user may only read. A catalogue in WAL mode is read through a shared-memory file
 * (-shm) beside it, which SQLite makes even to read. So: first the ordinary read-only open, which
 * works where it can make that file, or where a run left it with its -wal (a drive pulled out
 * mid-run: the last commits are in that -wal, and are read). Otherwise, when no -wal holds
 * changes, the catalogue file is whole by itself and is opened immutable: no lock, no -shm,
 * nothing written. A -wal holding changes without its -shm cannot be read there: the user is told
 * to copy the vault to a writable drive.
 */
export function openReadOnly(file: string): Database.Database {
  try {
    return probed(new Database(file, { readonly: true, fileMustExist: true }));
  } catch (err) {
    if (!isReadOnlyCode(errnoCode(err))) throw err;
  }
  if ((statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    throw new PicvaultError('vault.readOnlyWal', { vault: path.dirname(file) }, EXIT.notVault);
  }
  return probed(new Database(immutableUri(file), { readonly: true, fileMustExist: true }));
}

/** The connection, once it has read the schema: SQLite opens files lazily. */
function probed(db: Database.Database): Database.Database {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * `file:<path>?immutable=1` for an absolute path of either flavour: forward slashes, a drive
 * letter after a slash (`file:/E:/…`), a UNC path after an empty authority (`file:////nas/…`),
 * and the characters a URI gives a meaning to (`%`, `?`, `#`) escaped. Other characters,
 * Chinese names included, go as UTF-8, which SQLite takes as they are.
 */
export function immutableUri(file: string, flavour: path.PlatformPath = path): string {
  const slashed = flavour.resolve(file).replace(/\\/g, '/');
  const rooted = slashed.startsWith('//') ? `//${slashed}` : slashed.startsWith('/') ? slashed : `/${slashed}`;
  return `file:${rooted.replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}?immutable=1`;
}
