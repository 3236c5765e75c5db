import { mkdir, rename, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHECK, markVerified, retireArchive, type CatalogArchive } from '../catalog/archives.js';
import { dropPlacesWithoutImage } from '../catalog/carry.js';
import { imagesStoredIn } from '../catalog/images.js';
import { placesOfPicture, placesRecordedBy } from '../catalog/locations.js';
import { recordArchive } from '../catalog/record.js';
import { listArchiveFiles } from '../vault/archive-files.js';
import { checkZip } from '../vault/check-zip.js';
import { absArchivePath } from '../vault/layout.js';
import type { ManifestImage, ManifestLocation } from '../vault/manifest.js';
import { openVault, type Vault } from '../vault/vault.js';
import { DEFAULT_MAX_ARCHIVE_SIZE } from './archive.js';
import type { HashedFile, MonthPlan, NewImage } from './archive-plan.js';
import { recordCheckedZip } from './found-zip.js';
import { GoodCopies, type CopyKind, type GoodCopy, type Wanted } from './good-copies.js';
import { fsyncDir, writeMonth, type MonthIo, type WrittenArchive } from '../engine/month-writer.js';
import { silentProgress, type Progress } from './progress.js';
import { recoverVault } from './recover.js';
import { checkArchives } from './verify.js';
import { writeZips } from '../engine/zip-parts.js';

export interface RepairOptions {
  vault: string;
  /** Folders that may hold good copies (the SOURCE arguments). */
  sources?: string[];
  /** Another vault that may hold good copies. */
  fromVault?: string;
  /** This device's name: its catalogued places are looked at for good copies. Default: the host name. */
  device?: string;
  dryRun?: boolean;
  maxArchiveSize?: number;
  progress?: Progress;
}

/** Where damaged zips are moved: inside the vault, outside archives/, never deleted. */
export const DAMAGED_DIR = 'damaged';

export interface RepairedArchive {
  name: string;
  damage: string[];
  /** Pictures it stored, stored again (or that would be, in a dry run), by where the good copy was. */
  restored: Partial<Record<CopyKind, number>>;
  /** Where the zip went (vault-relative), once moved; null while it stays (dry run) or when it was missing. */
  movedTo: string | null;
}

export interface RepairResult {
  dryRun: boolean;
  vault: string;
  /** Every archive found damaged or missing, and what became of it. */
  archives: RepairedArchive[];
  /** Pictures with no good copy anywhere: their places, so the user knows what is lost. */
  unrecoverable: { hash: string; places: { device: string; path: string; month: string }[] }[];
  /** The zips written in the damaged ones' stead. */
  written: WrittenArchive[];
}

interface DamagedFound {
  archive: CatalogArchive;
  damage: string[];
  /** Its pictures whose entries there still hash right. */
  goodInZip: Set<string>;
}

/**
 * repair (SPEC "Repair"): finds damaged or missing archives as `verify --read-data` does, stores
 * each of their pictures again from a good copy (see GoodCopies) in new zips written as archive
 * writes them (flushed, renamed in order, read back whole), which also record again every place
 * the damaged zip recorded (so reindex rebuilds them too); then moves each damaged zip to
 * VAULT/damaged/ and forgets it, or keeps it catalogued as damaged while pictures with no good
 * copy anywhere still point to it. Each step is safe to kill: the new zips are catalogued before
 * the old one moves, and a rerun takes over from any point (recovery adopts zips a killed run
 * renamed; a whole zip's copy of a picture replaces a damaged one's in the catalogue).
 */
export async function repair(options: RepairOptions): Promise<RepairResult> {
  const progress = options.progress ?? silentProgress;
  const dryRun = options.dryRun ?? false;
  const vault = await openVault(options.vault, { write: !dryRun });
  const other = options.fromVault ? await openVault(options.fromVault, { write: false }).catch(async (err: unknown) => {
    await vault.close();
    throw err;
  }) : null;
  let copies: GoodCopies | null = null;
  try {
    if (!dryRun) await catalogueLeftovers(vault);
    const found = await findDamaged(vault, dryRun, progress);
    const result: RepairResult = { dryRun, vault: vault.dir, archives: [], unrecoverable: [], written: [] };
    const wanted = new Map<DamagedFound, (ManifestImage & Wanted)[]>();
    for (const d of found) {
      const zip = absArchivePath(vault.dir, d.archive.name);
      wanted.set(d, imagesStoredIn(vault.db, d.archive.id).map((img) => ({ ...img, ...(d.goodInZip.has(img.hash) && { inZip: { zip, entry: img.entry } }) })));
    }
    copies = await GoodCopies.open({
      db: vault.db, device: options.device ?? os.hostname(), folders: options.sources ?? [], exclude: [vault.dir], other, wanted: [...wanted.values()].flat(),
    });
    for (const d of found) {
      const chosen = new Map<string, GoodCopy>();
      const lost: string[] = [];
      for (const img of wanted.get(d)!) {
        const copy = await copies.find(img);
        if (copy) chosen.set(img.hash, copy);
        else lost.push(img.hash);
      }
      const repaired: RepairedArchive = { name: d.archive.name, damage: d.damage, restored: {}, movedTo: null };
      for (const c of chosen.values()) repaired.restored[c.kind] = (repaired.restored[c.kind] ?? 0) + 1;
      if (!dryRun) {
        const images = wanted.get(d)!.filter((img) => chosen.has(img.hash));
        const written = await storeAgain(vault, d.archive, images, copies, chosen, options.maxArchiveSize ?? DEFAULT_MAX_ARCHIVE_SIZE);
        result.written.push(...written.archives);
        lost.push(...written.dropped);
        repaired.movedTo = await moveAside(vault.dir, d.archive.name);
        retireArchive(vault.db, d.archive.id, `${repaired.movedTo ? `moved to ${repaired.movedTo}` : 'missing'}: ${lost.length} pictures have no good copy`);
      }
      result.archives.push(repaired);
      for (const hash of lost) result.unrecoverable.push({ hash, places: placesOfPicture(vault.db, hash) });
    }
    return result;
  } finally {
    await copies?.close();
    await other?.close();
    await vault.close();
  }
}

/**
 * What a killed run (archive's, or repair's own) left: partial zips removed, whole uncatalogued
 * ones adopted; and a damaged zip the catalogue does not know is catalogued as damaged, with what
 * can be read from it, so that repair mends it like any other.
 */
async function catalogueLeftovers(vault: Vault): Promise<void> {
  const { rejected } = await recoverVault(vault);
  if (rejected.length === 0) return;
  const files = (await listArchiveFiles(vault.dir)).archives.filter((a) => rejected.includes(a.name));
  const checks = await Promise.all(files.map(async (f) => ({ f, check: await checkZip(f.abs, { expectedXxh64: f.xxh64, readData: true, salvage: true }) })));
  vault.db.transaction(() => {
    vault.db.pragma('defer_foreign_keys = ON');
    for (const { f, check } of checks) recordCheckedZip(vault.db, f, check);
    // Places of pictures no zip stores: as reindex, nothing could restore them.
    dropPlacesWithoutImage(vault.db);
  })();
}

/** Every catalogued archive checked as verify --read-data checks it, the verdicts recorded; the damaged ones. */
async function findDamaged(vault: Vault, dryRun: boolean, progress: Progress): Promise<DamagedFound[]> {
  const found: DamagedFound[] = [];
  const marks: { id: number; damage: string | null }[] = [];
  for await (const { archive, check, expected } of checkArchives(vault.dir, vault.db, true, progress)) {
    marks.push({ id: archive.id, damage: check.damage.length > 0 ? check.damage.join('; ') : null });
    if (check.damage.length === 0) continue;
    const readable = check.manifest ? check.manifest.images.filter((i) => !check.badImages.has(i.hash)) : check.salvaged;
    const stored = new Set(expected);
    found.push({ archive, damage: check.damage, goodInZip: new Set(readable.map((i) => i.hash).filter((h) => stored.has(h))) });
  }
  if (!dryRun) markVerified(vault.db, marks, CHECK.data);
  return found;
}

/**
 * Writes the pictures of one damaged archive again, with every place it recorded, through archive's
 * own machinery (month-writer.ts, zip-parts.ts), and catalogues the new zips: the pictures now
 * point to them (a whole copy replaces a damaged one) and so do the places. Pictures whose copy no
 * longer hashed right when stored are returned as dropped.
 */
async function storeAgain(
  vault: Vault, archive: CatalogArchive, images: ManifestImage[], copies: GoodCopies, chosen: Map<string, GoodCopy>, maxArchiveSize: number,
): Promise<{ archives: WrittenArchive[]; dropped: string[] }> {
  const locations: ManifestLocation[] = placesRecordedBy(vault.db, archive.id);
  if (images.length === 0 && locations.length === 0) return { archives: [], dropped: [] };
  const firstSeen = new Map<string, string>();
  for (const l of locations) if (!firstSeen.has(l.hash) || l.taken < firstSeen.get(l.hash)!) firstSeen.set(l.hash, l.taken);
  const newImages: NewImage[] = images.map((img) => ({
    hash: img.hash, size: img.size, ext: img.ext, decodedExt: (img.decodedExt ?? null) as HashedFile['decodedExt'], from: [],
    date: firstSeen.get(img.hash) ?? `${archive.month}-01 00:00:00`,
  }));
  const plan: MonthPlan = { month: archive.month, locations, newImages };
  const io: MonthIo = {
    // In this thread: repair stores a few pictures, from zips and files alike (GoodCopies reads both).
    writeZips: (job) => writeZips(job, (_paths, hash, size) => copies.read(chosen.get(hash)!, hash, size)),
    check: async (zip) => (await checkZip(zip, { readData: true })).damage,
  };
  const sealed = await writeMonth(vault, plan, { io, maxArchiveSize, skipped: [] });
  const stored = new Set(sealed.flatMap((s) => s.manifest.images.map((i) => i.hash)));
  vault.db.transaction(() => {
    vault.db.pragma('defer_foreign_keys = ON');
    for (const s of sealed) recordArchive(vault.db, s.row, s.manifest);
  })();
  return {
    archives: sealed.map(({ row: _row, manifest: _manifest, ...summary }) => summary),
    dropped: images.filter((i) => !stored.has(i.hash)).map((i) => i.hash),
  };
}

/** Moves a damaged zip to VAULT/damaged/ (never deleting it), durably; its new vault-relative name, or null when it is not there. */
async function moveAside(vaultDir: string, name: string): Promise<string | null> {
  const from = absArchivePath(vaultDir, name);
  if (!(await stat(from).catch(() => null))) return null;
  const dir = path.join(vaultDir, DAMAGED_DIR);
  await mkdir(dir, { recursive: true });
  let base = path.basename(from);
  for (let n = 1; await stat(path.join(dir, base)).catch(() => null); n++) base = `${path.basename(from, '.zip')}.${n}.zip`;
  await rename(from, path.join(dir, base));
  for (const d of [dir, path.dirname(from)]) await fsyncDir(d);
  return `${DAMAGED_DIR}/${base}`;
}
