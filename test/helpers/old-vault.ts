import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { toLocation, type HashedFile } from '../../src/core/archive-plan.js';
import { reindex } from '../../src/core/reindex.js';
import { scanEach, type ScannedFile } from '../../src/core/scan.js';
import { hashBytes } from '../../src/media/hash.js';
import { inspectBytes } from '../../src/media/inspect.js';
import { absArchivePath, archiveRelPath, DB_FILE, monthDir } from '../../src/vault/layout.js';
import { entryName, MANIFEST_ENTRY, MANIFEST_FORMAT, type ManifestImage, type ManifestLocation } from '../../src/vault/manifest.js';
import { ZipWriter } from '../../src/vault/zip-writer.js';
import { replaceWithOldCatalogue } from './vault.js';

/**
 * A vault as the releases before picture identity wrote it: every file stored as its own bytes
 * (a WeChat .dat as `<hash>.dat`, its decoded type noted), manifests of version 1, and a
 * catalogue without migration 0010. Made from the pieces those releases had: the scan, the place
 * as toLocation makes it, picvault's zip writer, and the catalogue reindex builds from the zips,
 * then written again as the previous release's (its migrations, its columns: 0010's two, all NULL
 * for such a vault, are not among them).
 */
export async function vaultBeforeIdentity(vault: string, sources: string[], device: string): Promise<void> {
  const files: ScannedFile[] = [];
  await scanEach({ sources }, (f) => void files.push(f));
  const months = new Map<string, { images: Map<string, ManifestImage & { bytes: Buffer; date: Date }>; locations: ManifestLocation[] }>();
  for (const f of files) {
    const bytes = await readFile(f.path);
    const ins = f.ext ? f : await inspectBytes(bytes, f);
    const hashed = { ...f, hash: await hashBytes(bytes), ext: ins.ext!, decodedExt: ins.decodedExt } as HashedFile;
    const month = months.get(f.month) ?? { images: new Map(), locations: [] as ManifestLocation[] };
    months.set(f.month, month);
    const { fileHash: _f, recipe: _r, ...place } = toLocation(hashed, hashed, device);
    month.locations.push(place);
    month.images.set(hashed.hash, {
      hash: hashed.hash, size: bytes.length, ext: hashed.ext, entry: entryName(hashed.hash, hashed.ext),
      ...(hashed.ext === 'dat' && { decodedExt: hashed.decodedExt }), bytes, date: new Date(f.taken.replace(' ', 'T')),
    });
  }
  for (const [month, { images, locations }] of months) {
    await mkdir(monthDir(vault, month), { recursive: true });
    const tmp = path.join(monthDir(vault, month), 'old.zip.partial');
    const zip = await ZipWriter.create(tmp);
    for (const { bytes, date, ...img } of images.values()) await zip.add(img.entry, bytes, date);
    const manifest = {
      format: MANIFEST_FORMAT, version: 1, month, createdAt: new Date().toISOString(),
      images: [...images.values()].map(({ bytes: _b, date: _d, ...img }) => img), locations,
    };
    await zip.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)), new Date(), { deflate: true });
    const { xxh64 } = await zip.finish();
    await rename(tmp, absArchivePath(vault, archiveRelPath(month, xxh64)));
  }
  await reindex({ vault });
  const db = new Database(path.join(vault, DB_FILE), { readonly: true });
  const identified = db.prepare('SELECT COUNT(*) FROM locations WHERE file_hash IS NOT NULL OR recipe IS NOT NULL').pluck().get();
  db.close();
  if (identified !== 0) throw new Error('not a vault of raw files');
  await replaceWithOldCatalogue(vault, `${vault}-old.db`);
  await rm(`${vault}-old.db`);
}
