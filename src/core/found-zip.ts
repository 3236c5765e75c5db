import { statSync } from 'node:fs';
import { CHECK } from '../catalog/archives.js';
import type { Db } from '../catalog/db.js';
import { recordArchive } from '../catalog/record.js';
import type { ArchiveFile } from '../vault/archive-files.js';
import type { ZipCheck } from '../vault/check-zip.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '../vault/manifest.js';

/**
 * Catalogues a zip found in the vault as its check found it (reindex, and repair for a damaged
 * zip the catalogue does not know): whole, it is recorded verified from its manifest; damaged, it
 * is recorded with its damage (a data-strength mark) and all that can be trusted in it. Images
 * whose entries did not check out are recorded only where no other zip has them, and when the
 * zip's own bytes no longer match its name, none of its images is trusted. A zip whose manifest
 * is lost still yields the images found by their entry names; one that does not open at all is
 * recorded empty, so that verify reports it and repair moves it aside.
 */
export function recordCheckedZip(db: Db, file: ArchiveFile, check: ZipCheck): number {
  const damage = check.damage.length > 0 ? check.damage.join('; ') : null;
  const manifest: Manifest = check.manifest ?? {
    format: MANIFEST_FORMAT, version: MANIFEST_VERSION, month: file.month, createdAt: createdAtOf(file.abs), images: check.salvaged, locations: [],
  };
  const untrusted = check.damage.some((d) => d.startsWith('content hash')) ? new Set(manifest.images.map((i) => i.hash)) : check.badImages;
  return recordArchive(
    db,
    {
      name: file.name, month: file.month, xxh64: file.xxh64, bytes: check.bytes, createdAt: manifest.createdAt,
      verifiedAt: damage ? null : new Date().toISOString(), damage, damageStrength: damage ? CHECK.data : null,
    },
    manifest,
    { badImages: untrusted },
  );
}

/** When a zip without a readable manifest was written, as near as can be said: its file's time. */
function createdAtOf(file: string): string {
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}
