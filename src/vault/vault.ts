import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { openCatalog, type Db } from '../catalog/db.js';
import { EXIT, PicvaultError, errnoCode } from '../errors.js';
import { ARCHIVES_DIR, DB_FILE } from './layout.js';
import { acquireLock } from './lock.js';

export interface Vault {
  dir: string;
  db: Db;
  close(): Promise<void>;
}

export interface OpenVaultOptions {
  /** Take the lock: for every command that changes the vault. */
  write: boolean;
  /** Make the vault if the folder has none (archive --to). */
  create?: boolean;
  /** Open a folder that has archives but no catalogue (reindex). */
  allowMissingCatalog?: boolean;
}

const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);
const exists = (p: string) => stat(p).then(() => true, () => false);
const isFile = (p: string) => stat(p).then((s) => !s.isDirectory(), () => false);

function vaultError(key: string, dir: string, err?: unknown): PicvaultError {
  return new PicvaultError(key, { vault: dir, reason: errnoCode(err) ?? String((err as Error)?.message ?? '') }, EXIT.notVault);
}

/** Opens VAULT: checks it is one, takes the lock when writing, opens and migrates the catalogue. */
export async function openVault(given: string, options: OpenVaultOptions): Promise<Vault> {
  const { dir, release } = await claimVaultDir(given, options);
  let db: Db;
  try {
    db = openCatalogFor(path.join(dir, DB_FILE), options.write);
  } catch (err) {
    await release();
    throw err;
  }
  return {
    dir,
    db,
    async close() {
      db.close();
      await release();
    },
  };
}

/** Checks VAULT is a vault (or may become one) and takes its lock when writing; no catalogue. */
export async function claimVaultDir(given: string, options: OpenVaultOptions): Promise<{ dir: string; release: () => Promise<void> }> {
  const dir = path.resolve(given);
  const dbPath = path.join(dir, DB_FILE);
  if (!(await isDir(dir))) {
    if (await isFile(dir)) throw vaultError('vault.isFile', dir);
    if (!options.create) throw vaultError('vault.missing', dir);
    await mkdir(dir, { recursive: true }).catch((err) => {
      throw vaultError('vault.unwritable', dir, err);
    });
  }
  if (!(await exists(dbPath))) {
    const hasArchives = await isDir(path.join(dir, ARCHIVES_DIR));
    if (hasArchives && !options.allowMissingCatalog && !options.create) throw vaultError('vault.noCatalog', dir);
    if (!hasArchives && !options.create && !options.allowMissingCatalog) throw vaultError('vault.notVault', dir);
  }
  let release: () => Promise<void> = async () => undefined;
  if (options.write) {
    release = await acquireLock(dir).catch((err) => {
      if (err instanceof PicvaultError) throw err;
      throw vaultError('vault.unwritable', dir, err);
    });
  }
  return { dir, release };
}

/** Readers fall back to a read-only catalogue so a vault on read-only media can still be browsed. */
function openCatalogFor(dbPath: string, write: boolean): Db {
  try {
    return openCatalog(dbPath);
  } catch (err) {
    if (err instanceof PicvaultError) throw err;
    const code = errnoCode(err) ?? '';
    if (!write && /READONLY|CANTOPEN|EACCES|EROFS/.test(code)) {
      try {
        return openCatalog(dbPath, { readonly: true });
      } catch (inner) {
        if (inner instanceof PicvaultError) throw inner;
      }
    }
    throw new PicvaultError('vault.badCatalog', { vault: path.dirname(dbPath), reason: code || String(err) }, EXIT.notVault);
  }
}
