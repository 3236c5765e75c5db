import path from 'node:path';
import type { Db } from '../../catalog/db.js';
import { vaultCopies } from '../../catalog/pictures.js';
import { usageError } from '../../errors.js';
import { isInside } from '../../sources/protected.js';
import type { ImageKind, SourceKind } from '../../sources/types.js';
import type { PlaceTable } from './places.js';
import type { Progress } from '../progress.js';
import { checkSources, scanEach, type ScannedFile, type Skipped } from '../scan.js';
import type { Selection } from '../selection.js';

export interface ScopeOptions {
  sources: string[];
  against: string[];
  /** The vault folder: never walked. */
  vaultDir: string | null;
  selection: Selection;
  progress?: Progress;
  wechatKey?: string;
  /** Filled with where each vault copy's bytes are. */
  stored: StoredAt;
}

/** Where a vault copy's bytes are, for the rows that stand for them. */
export type StoredAt = Map<number, { archive: string; entry: string; hash: string }>;

/** A WeChat .dat, by its name or by the folder it is in. */
const isDat = (f: Pick<ScannedFile, 'path' | 'source'>) => /\.dat$/i.test(f.path) || f.source === 'wechat' || f.source === 'wechat4';

/**
 * Fills the table with everything dedupe compares, handing each row to `found` as it comes (SPEC "Duplicates", scope): the files of the
 * sources (the selection applies to them), the files of the reference folders, and, with a vault,
 * the pictures it holds from other devices and this device's cleaned ones (from every device when no source is named). A
 * reference folder inside a source is left out of the source's walk and the other way round, so
 * no file is both; the vault is never walked.
 */
export async function gatherScope(table: PlaceTable, db: Db | null, device: string, options: ScopeOptions, found: (row: number) => void): Promise<{ sources: string[]; against: string[]; unreadable: Skipped[] }> {
  const sources = await checkSources(options.sources);
  const against = await checkSources(options.against);
  for (const a of against) if (sources.some((s) => isInside(a, s))) throw usageError('dedupe.againstHoldsSource', { folder: a });
  const vaultDir = options.vaultDir ? [path.resolve(options.vaultDir)] : [];
  const unreadable: Skipped[] = [];
  const add = (where: 'source' | 'reference') => (f: ScannedFile) => {
    found(table.add({ where, path: f.path, root: f.root, source: f.source, kind: f.kind, account: f.account, chat: f.chat, size: f.size, mtimeMs: f.mtimeMs, taken: f.taken, month: f.month, dat: isDat(f) }));
  };
  if (sources.length > 0) {
    const found = await scanEach({ sources, exclude: [...vaultDir, ...against], selection: options.selection, progress: options.progress, wechatKey: options.wechatKey }, add('source'));
    unreadable.push(...found.unreadable);
  }
  if (against.length > 0) {
    const found = await scanEach({ sources: against, exclude: vaultDir, progress: options.progress, wechatKey: options.wechatKey }, add('reference'));
    unreadable.push(...found.unreadable);
  }
  const { stored } = options;
  if (db) {
    // With sources, this device's own copies are on the disk: the vault adds the other devices',
    // and this device's that it no longer holds (cleaned), whose looks only their zips can give.
    for (const c of vaultCopies(db, sources.length > 0 ? device : null)) {
      const row = table.add({
        where: 'vault', path: c.path, root: c.root, source: c.source as SourceKind, kind: c.kind as ImageKind, account: c.account ?? undefined,
        chat: c.chat ?? undefined, size: c.size, mtimeMs: 0, taken: c.taken, month: c.month, dat: c.ext === 'dat', device: c.device, places: c.places, present: c.present,
      });
      // The entry holds the picture: a .dat stored as its picture is known by it at once.
      stored.set(row, { archive: c.archive, entry: c.entry, hash: c.picture ?? c.hash });
      // A .dat stored raw has its picture learned when its bytes are read (or from the catalogue's memory of it).
      if (c.picture !== null) table.learn(row, c.hash, c.picture, c.pictureSize!, c.decodedExt ?? 'dat');
      else if (c.ext !== 'dat') table.learn(row, c.hash, c.hash, c.size, c.ext);
      found(row);
    }
  }
  return { sources, against, unreadable };
}
