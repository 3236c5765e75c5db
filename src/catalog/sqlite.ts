/**
 * better-sqlite3, with SQLite's URI file names turned on. A catalogue on a read-only drive is
 * opened as `file:…?immutable=1` (see read-only.ts), and better-sqlite3 reads SQLITE_USE_URI when
 * its native addon loads, at the first connection of the process: every connection picvault opens
 * goes through this module, which sets it first. A name that does not start with `file:` means
 * what it always did.
 */
process.env.SQLITE_USE_URI = '1';

export { default as Database } from 'better-sqlite3';
