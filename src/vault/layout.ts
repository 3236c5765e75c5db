import path from 'node:path';

/** Where things live inside a vault (SPEC "The vault"). */
export const DB_FILE = 'picvault.db';
export const LOCK_FILE = '.lock';
export const ARCHIVES_DIR = 'archives';
/** The catalogue reindex builds beside the live one, and swaps in by rename. */
export const REBUILD_FILE = `${DB_FILE}.rebuild`;
/**
 * A SQLite database's files: itself and its journals. Rollback mode (while the schema is first
 * written) keeps a `-journal`, WAL mode a `-wal` and `-shm`: a run killed in either leaves them.
 */
export const sqliteFiles = (db: string): string[] => ['', '-journal', '-wal', '-shm'].map((s) => db + s);
/** Zips are written under this suffix and renamed only once flushed. */
export const PARTIAL_SUFFIX = '.partial';

const ARCHIVE_NAME = /^(\d{4})-(\d{2})_([0-9a-f]{16})\.zip$/;

/** The vault-relative path of a month's zip, always with forward slashes. */
export function archiveRelPath(month: string, xxh64: string): string {
  return `${ARCHIVES_DIR}/${month.slice(0, 4)}/${month}/${month}_${xxh64}.zip`;
}

export function monthDir(vault: string, month: string): string {
  return path.join(vault, ARCHIVES_DIR, month.slice(0, 4), month);
}

/** The month and content hash a final archive name promises, or null if it is not one. */
export function parseArchiveName(fileName: string): { month: string; xxh64: string } | null {
  const m = ARCHIVE_NAME.exec(fileName);
  return m ? { month: `${m[1]}-${m[2]}`, xxh64: m[3] } : null;
}

export const absArchivePath = (vault: string, rel: string) => path.join(vault, ...rel.split('/'));
