import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { openCatalog, type Db } from '../catalog/db.js';
import { endKilledRuns } from '../catalog/runs.js';
import { isReadOnlyCode } from '../catalog/read-only.js';
import { EXIT, PicvaultError, errnoCode } from '../errors.js';
import { ARCHIVES_DIR, DB_FILE } from './layout.js';
import { acquireLock } from './lock.js';

export interface Vault {
  dir: string;
  db: Db;
  /**
   * The catalogue was opened read-only (a write-protected drive, a read-only mount, a folder the
   * user may only read): nothing can be recorded, not even a verification.
   */
  readOnly: boolean;
  close(): Promise<void>;
}

export interface OpenVaultOptions {
  /**
   * Take the lock: for every command that changes the vault. 'if-writable': take it where the
   * vault can be written, else open it read-only (verify, which only records what it finds).
   */
  write: boolean | 'if-writable';
  /** Make the vault if the folder has none (archive --to). */
  create?: boolean;
  /** Open a folder that has archives but no catalogue (reindex). */
  allowMissingCatalog?: boolean;
}

const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);
const isFile = (p: string) => stat(p).then((s) => !s.isDirectory(), () => false);
const writable = (p: string) => access(p, constants.W_OK).then(() => true, () => false);

function vaultError(key: string, dir: string, err?: unknown): PicvaultError {
  return new PicvaultError(key, { vault: dir, errno: errnoCode(err) ?? String((err as Error)?.message ?? '') }, EXIT.notVault);
}

/**
 * A vault whose catalogue cannot be used, with advice that works there: `reindex` rebuilds a
 * catalogue, but only in a vault it can write to; on a read-only drive the advice is to copy it.
 */
async function catalogueError(key: string, dir: string, err?: unknown): Promise<PicvaultError> {
  return vaultError((await writable(dir)) ? key : `${key}.readOnly`, dir, err);
}

/** Opens VAULT: checks it is one, takes the lock when writing, opens and migrates the catalogue. */
export async function openVault(given: string, options: OpenVaultOptions): Promise<Vault> {
  const { dir, release, locked } = await claimVaultDir(given, options);
  let db: Db;
  let readOnly = false;
  try {
    ({ db, readOnly } = await openCatalogFor(dir, locked));
    // The lock is ours: a run the log still calls running was killed.
    if (locked) endKilledRuns(db);
  } catch (err) {
    await release();
    throw err;
  }
  return {
    dir,
    db,
    readOnly,
    async close() {
      db.close();
      await release();
    },
  };
}

/**
 * Checks VAULT is a vault (or may become one) and takes its lock when writing; no catalogue. A
 * `picvault.db` that is not a file, or is empty (0 bytes: a catalogue lost, not an empty vault),
 * is not a catalogue.
 */
export async function claimVaultDir(given: string, options: OpenVaultOptions): Promise<{ dir: string; release: () => Promise<void>; locked: boolean }> {
  const dir = path.resolve(given);
  const dbPath = path.join(dir, DB_FILE);
  if (!(await isDir(dir))) {
    if (await isFile(dir)) throw vaultError('vault.isFile', dir);
    if (!options.create) throw vaultError('vault.missing', dir);
    await mkdir(dir, { recursive: true }).catch((err) => {
      throw vaultError('vault.unwritable', dir, err);
    });
  }
  const catalogue = await stat(dbPath).catch(() => null);
  if (catalogue && !catalogue.isFile()) throw await catalogueError('vault.catalogNotFile', dir);
  if (!catalogue?.size && !options.create && !options.allowMissingCatalog) {
    const archived = await isDir(path.join(dir, ARCHIVES_DIR));
    // An empty catalogue beside no archive is a vault whose making was cut short (a run killed as
    // it made the file): nothing was lost, and the next run that makes a vault makes it there.
    if (catalogue && archived) throw await catalogueError('vault.emptyCatalog', dir);
    if (archived) throw await catalogueError('vault.noCatalog', dir);
    throw vaultError('vault.notVault', dir);
  }
  if (!options.write) return { dir, release: async () => undefined, locked: false };
  try {
    return { dir, release: await acquireLock(dir), locked: true };
  } catch (err) {
    if (err instanceof PicvaultError) throw err;
    const readOnly = isReadOnlyCode(errnoCode(err));
    if (options.write === 'if-writable' && readOnly) return { dir, release: async () => undefined, locked: false };
    // A vault that cannot be written is still one picvault reads: the message says what works there.
    throw vaultError(readOnly && catalogue?.size ? 'vault.unwritable.readOnly' : 'vault.unwritable', dir, err);
  }
}

/**
 * A run that holds the lock opens the catalogue to write (and upgrades it). Readers open it the
 * same way where they can, so an outdated catalogue is upgraded by whatever runs first; on
 * read-only media they open it read-only (catalog/read-only.ts) and write nothing.
 */
async function openCatalogFor(dir: string, locked: boolean): Promise<{ db: Db; readOnly: boolean }> {
  const dbPath = path.join(dir, DB_FILE);
  try {
    return { db: openCatalog(dbPath), readOnly: false };
  } catch (err) {
    if (err instanceof PicvaultError) throw err;
    const code = errnoCode(err) ?? '';
    if (!locked && isReadOnlyCode(code)) {
      try {
        return { db: openCatalog(dbPath, { readonly: true }), readOnly: true };
      } catch (inner) {
        if (inner instanceof PicvaultError) throw inner;
        throw await catalogueError('vault.badCatalog', dir, inner);
      }
    }
    throw await catalogueError('vault.badCatalog', dir, err);
  }
}
