import {
  catalogueVersion, monthCounts, newestArchive, pathBytesAfter, placePathsAfter, monthFacets, monthPictures, searchPlaces, sourceReports, storeTotals, storedPicture,
  type GridPicture, type MonthFacets, type MonthFilter, type MonthSort, type SearchRow, type SourceReport, type StoredPicture,
} from '../catalog/browse.js';

/** The page's words for a month's sorting and filters, as the catalogue answers them. */
export type { MonthFacets, MonthSort } from '../catalog/browse.js';
import { locationsOfHash, type LocationRow } from '../catalog/locations.js';
import { listRuns, runById, undoRuns, type RunRow } from '../catalog/runs.js';
import { lockHeld } from '../vault/lock.js';
import { openVault, type Vault } from '../vault/vault.js';
import { VaultDuplicates } from './dedupe/vault-duplicates.js';
import { Thumbnails, type PictureFacts, type Thumb, type ThumbSize } from './thumbnails.js';
import { canUndo } from './undo.js';
import { PathIndex } from './path-index.js';
import { pathMatcher } from './selection.js';

/**
 * What the web page reads (serve): one read-only look at a vault, kept open while the page is
 * served. The vault is opened without its lock, as `catalog` opens it: an `archive` may run at the
 * same time, and each question sees the catalogue as its last commit left it (SQLite WAL).
 */

export interface BrowseOptions {
  vault: string;
  /** Where thumbnails are cached: outside the vault, which may be read-only. */
  cacheDir: string;
}

export interface Overview {
  vault: string;
  totals: { archives: number; storedBytes: number; images: number; imageBytes: number; places: number };
  devices: DeviceSummary[];
  sources: SourceReport[];
  months: { month: string; files: number; bytes: number }[];
  runs: LoggedRun[];
}

export interface DeviceSummary {
  device: string;
  files: number;
  bytes: number;
  firstMonth: string;
  lastMonth: string;
}

export interface LoggedRun extends RunRow {
  /** Whether the page may offer to undo it (restore what it removed). */
  undoable: boolean;
  /** The restore that undid it (the first `restore --run` of it that finished): it is not offered again. */
  undoneBy: number | null;
}

export interface MonthPage {
  filter: MonthFilter;
  sort: MonthSort;
  total: number;
  offset: number;
  pictures: GridPicture[];
  facets: MonthFacets;
}

export interface PictureDetail {
  picture: StoredPicture;
  facts: PictureFacts;
  places: LocationRow[];
}

export interface SearchInput {
  hash?: string;
  /** A substring of the path, or a glob (as `--path`: without "/" it matches file names). */
  path?: string;
  chat?: string;
  since?: string;
  before?: string;
}

export interface SearchResult {
  rows: SearchRow[];
  /** More places matched than were returned. */
  more: boolean;
}

/** How many places a search returns at most. */
export const SEARCH_LIMIT = 200;
const RECENT_RUNS = 5;
/** Places found by their path, asked of the catalogue at a time. */
const SEARCH_BATCH = 500;
/** Thumbnails a large screen shows before scrolling (8 columns, 4 rows). */
const FIRST_SCREEN = 32;

export class Browse {
  /** What a whole-catalogue question answered, until another connection commits (see remember). */
  private remembered = new Map<string, unknown>();
  private readonly paths = new PathIndex();
  private version = -1;
  /** The duplicates the vault holds (dedupe's core, the vault alone), kept and regrouped as marks change. */
  readonly duplicates: VaultDuplicates;

  private constructor(
    private readonly vault: Vault,
    readonly thumbnails: Thumbnails,
  ) {
    this.duplicates = new VaultDuplicates(vault);
  }

  /**
   * The overview reads every place (a second or so at 300 000 places); its answers are kept until
   * the catalogue changes: SQLite's data_version moves when another connection (an archive, a
   * restore) commits, so a kept answer is never stale.
   */
  private remember<T>(key: string, compute: () => T): T {
    const now = catalogueVersion(this.vault.db);
    if (now !== this.version) {
      this.remembered.clear();
      this.version = now;
    }
    if (!this.remembered.has(key)) this.remembered.set(key, compute());
    return this.remembered.get(key) as T;
  }

  /** Answers the questions that read the whole catalogue, so the first visit is as quick as the next. */
  async warm(): Promise<void> {
    this.overview();
    await this.duplicates.report();
    this.paths.refresh((after) => placePathsAfter(this.vault.db, after), pathBytesAfter(this.vault.db, 0));
    await this.thumbnails.warm(newestArchive(this.vault.db));
  }

  static async open(options: BrowseOptions): Promise<Browse> {
    const vault = await openVault(options.vault, { write: false });
    return new Browse(vault, new Thumbnails(vault.dir, options.cacheDir));
  }

  get dir(): string {
    return this.vault.dir;
  }

  /** The catalogue could only be opened to read (a write-protected drive, a folder the user may only read): no marks can be set. */
  get readOnly(): boolean {
    return this.vault.readOnly;
  }

  private logged = (runs: RunRow[]): LoggedRun[] => {
    const undone = undoRuns(this.vault.db);
    return runs.map((r) => ({ ...r, undoable: canUndo(this.vault.db, r), undoneBy: undone.get(r.id) ?? null }));
  };

  /** One run of the log, as the page offers it. */
  run(id: number): LoggedRun | undefined {
    const found = runById(this.vault.db, id, lockHeld(this.vault.dir));
    return found && this.logged([found])[0];
  }

  overview(): Overview {
    const db = this.vault.db;
    const { sources, months, store } = this.remember('overview', () => ({ sources: sourceReports(db), months: monthCounts(db), store: storeTotals(db) }));
    return {
      vault: this.vault.dir,
      totals: { ...store, places: sources.reduce((n, s) => n + s.files, 0) },
      devices: devicesOf(sources),
      sources,
      months,
      runs: this.logged(listRuns(db, RECENT_RUNS, lockHeld(this.vault.dir))).reverse(),
    };
  }

  /**
   * A page of a month. The thumbnails of its first screen are started at once, so they are being
   * made (their zips opened, their pictures decoded) while the browser reads the page.
   */
  month(filter: MonthFilter, sort: MonthSort, offset: number, limit: number): MonthPage {
    const { total, pictures } = monthPictures(this.vault.db, filter, sort, offset, limit);
    for (const p of pictures.slice(0, FIRST_SCREEN)) this.thumbnails.get(p, 'grid').catch(() => undefined);
    const facets = this.remember(`facets ${filter.month}`, () => monthFacets(this.vault.db, filter.month));
    return { filter, sort, total, offset, pictures, facets };
  }

  /** A picture by its full hash (the stored image's, or the picture's it shows); null when the vault does not hold it. */
  async picture(hash: string): Promise<PictureDetail | null> {
    const picture = storedPicture(this.vault.db, hash);
    if (!picture) return null;
    return { picture, facts: await this.thumbnails.facts(picture), places: locationsOfHash(this.vault.db, picture.hash) };
  }

  stored(hash: string): StoredPicture | null {
    return storedPicture(this.vault.db, hash) ?? null;
  }

  thumbnail(picture: StoredPicture, size: ThumbSize): Promise<Thumb> {
    return this.thumbnails.get(picture, size);
  }

  runs(): LoggedRun[] {
    return this.logged(listRuns(this.vault.db, -1, lockHeld(this.vault.dir))).reverse();
  }

  /**
   * Places matching a search, the first SEARCH_LIMIT in the order they were catalogued, then by
   * date. A path, or a chat (its id is a folder of the path in every layout that has chats), is
   * found in the index of paths; the rest is asked of the catalogue, a batch of found places at a
   * time; a glob is tested last, on each path.
   */
  search(input: SearchInput): SearchResult {
    const db = this.vault.db;
    const glob = input.path?.replace(/\\/g, '/');
    const isGlob = glob !== undefined && /[*?[\]{}]/.test(glob);
    // A pattern with glob characters is tested as `--path` tests it: a glob, or the name it spells.
    const match = isGlob ? pathMatcher(glob) : undefined;
    const text = glob === undefined ? input.chat : isGlob ? longestLiteral(glob) : glob;
    const query = { hash: input.hash, chat: input.chat, since: input.since, before: input.before };
    const rows: SearchRow[] = [];
    let more = false;
    const take = (found: Iterable<SearchRow>) => {
      for (const row of found) {
        if (match && !match(row.path)) continue;
        if (rows.length === SEARCH_LIMIT) return (more = true);
        rows.push(row);
      }
      return false;
    };
    if (text) {
      // Slashes were made forward above; a Windows path in the catalogue has backslashes.
      const needles = text.includes('/') ? [text, text.replace(/\//g, '\\')] : [text];
      this.paths.refresh((after) => placePathsAfter(db, after));
      for (const ids of batches(mergedIds(needles.map((n) => this.paths.find(n))), SEARCH_BATCH)) {
        if (take([...searchPlaces(db, { ...query, ids })])) break;
      }
    } else {
      const found = searchPlaces(db, query);
      take(found);
      found.return(undefined);
    }
    rows.sort((a, b) => (a.taken < b.taken ? -1 : a.taken > b.taken ? 1 : a.id - b.id));
    return { rows, more };
  }

  async close(): Promise<void> {
    await this.thumbnails.close();
    await this.vault.close();
  }
}

/** Per device: its sources' places and bytes summed, its first and last month. */
function devicesOf(sources: SourceReport[]): DeviceSummary[] {
  const devices = new Map<string, DeviceSummary>();
  for (const s of sources) {
    const d = devices.get(s.device) ?? { device: s.device, files: 0, bytes: 0, firstMonth: s.firstMonth, lastMonth: s.lastMonth };
    d.files += s.files;
    d.bytes += s.bytes;
    if (s.firstMonth < d.firstMonth) d.firstMonth = s.firstMonth;
    if (s.lastMonth > d.lastMonth) d.lastMonth = s.lastMonth;
    devices.set(s.device, d);
  }
  return [...devices.values()];
}

/** The ids of several ascending lists, merged in order without repeats. */
function* mergedIds(lists: Generator<number>[]): Generator<number> {
  if (lists.length === 1) return yield* lists[0];
  const heads = lists.map((l) => l.next());
  for (;;) {
    const live = heads.filter((h) => !h.done).map((h) => h.value as number);
    if (live.length === 0) return;
    const least = Math.min(...live);
    yield least;
    heads.forEach((h, i) => {
      if (!h.done && h.value === least) heads[i] = lists[i].next();
    });
  }
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The longest run of a glob with no special character, compared case-insensitively by LIKE. */
const longestLiteral = (glob: string) => glob.split(/[*?[\]{}]+/).reduce((a, b) => (b.length > a.length ? b : a), '');

