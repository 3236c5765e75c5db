import { IMAGE_KINDS, SOURCE_KINDS, type FoundFile } from '../../sources/types.js';

/**
 * Where a copy dedupe compares is: in a named source (the only copies `--clean` may remove), in a
 * reference folder (`--against`, read and matched, never changed), or only in the vault, seen on
 * another device.
 */
export type Where = 'source' | 'reference' | 'vault';
const WHERES: readonly Where[] = ['source', 'reference', 'vault'];

/** One copy as the scope found it, before its bytes are read: what the walk says of it, and where it is. */
export interface PlaceFacts extends Pick<FoundFile, 'path' | 'root' | 'source' | 'kind' | 'account' | 'chat' | 'size' | 'mtimeMs'> {
  where: Where;
  taken: string;
  month: string;
  /** A WeChat .dat (by name or by its folder): its picture is the image it hides. */
  dat: boolean;
  /** A vault copy: the device that saw it, in how many places, and how many of them still hold it (not cleaned, or restored since). */
  device?: string;
  places?: number;
  present?: number;
}

/** Small strings that repeat (roots, chats, months, devices) kept once, referred to by number. */
class Interned {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string | undefined): number {
    if (value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  value(id: number): string | undefined {
    return id < 0 ? undefined : this.values[id];
  }
}

class Column<A extends Float64Array | Int32Array | Uint8Array> {
  constructor(public data: A) {}

  set(row: number, value: number): void {
    if (row >= this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => A)(Math.max(1024, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[row] = value;
  }
}

/**
 * Every copy dedupe compares, a row each, kept in columns: at 300 000 files an object per copy
 * (with its strings) cost about three times the memory of these arrays and the path strings.
 * What the copies' bytes say (hash, picture, type, looks) is filled in as they are read.
 */
export class PlaceTable {
  private count = 0;
  readonly paths: string[] = [];
  /** Dates, picture hashes and file hashes repeat from copy to copy: each kept once (see Interned). */
  private readonly takenIds = new Column(new Int32Array(1024));
  private readonly hashes = new Interned();
  /** File hash and picture hash, once read (the same string when a file shows itself). */
  readonly hash: (string | undefined)[] = [];
  readonly picture: (string | undefined)[] = [];
  /** The sniffed type once read; null when the bytes are not an image. */
  readonly ext: (string | null | undefined)[] = [];
  private readonly strings = { root: new Interned(), chat: new Interned(), account: new Interned(), month: new Interned(), device: new Interned(), taken: new Interned() };
  private readonly size = new Column(new Float64Array(1024));
  private readonly mtime = new Column(new Float64Array(1024));
  private readonly pictureSize = new Column(new Float64Array(1024));
  private readonly ints = {
    root: new Column(new Int32Array(1024)), chat: new Column(new Int32Array(1024)), account: new Column(new Int32Array(1024)),
    month: new Column(new Int32Array(1024)), device: new Column(new Int32Array(1024)), places: new Column(new Int32Array(1024)),
    present: new Column(new Int32Array(1024)),
  };
  private readonly small = { where: new Column(new Uint8Array(1024)), source: new Column(new Uint8Array(1024)), kind: new Column(new Uint8Array(1024)), dat: new Column(new Uint8Array(1024)) };

  get length(): number {
    return this.count;
  }

  add(p: PlaceFacts): number {
    const row = this.count++;
    this.paths.push(p.path);
    this.takenIds.set(row, this.strings.taken.id(p.taken));
    this.hash.push(undefined);
    this.picture.push(undefined);
    this.ext.push(undefined);
    this.size.set(row, p.size);
    this.mtime.set(row, p.mtimeMs);
    this.pictureSize.set(row, -1);
    for (const k of ['root', 'chat', 'account', 'month', 'device'] as const) this.ints[k].set(row, this.strings[k].id(p[k]));
    this.ints.places.set(row, p.places ?? 1);
    this.ints.present.set(row, p.present ?? 1);
    this.small.where.set(row, WHERES.indexOf(p.where));
    this.small.source.set(row, SOURCE_KINDS.indexOf(p.source));
    this.small.kind.set(row, IMAGE_KINDS.indexOf(p.kind));
    this.small.dat.set(row, p.dat ? 1 : 0);
    return row;
  }

  /** Records what a copy's bytes say. */
  learn(row: number, hash: string, picture: string, pictureSize: number, ext: string | null): void {
    // Each answer from a thread is a new string: the copies of one picture share one instead.
    this.hash[row] = this.hashes.values[this.hashes.id(hash)];
    this.picture[row] = this.hashes.values[this.hashes.id(picture)];
    this.pictureSize.set(row, pictureSize);
    this.ext[row] = ext;
  }

  /** The size a copy's picture may have, before its bytes are read (a .dat's, from its head). */
  presumePictureSize(row: number, pictureSize: number): void {
    this.pictureSize.set(row, pictureSize);
  }

  where = (row: number): Where => WHERES[this.small.where.data[row]];
  sizeOf = (row: number): number => this.size.data[row];
  mtimeOf = (row: number): number => this.mtime.data[row];
  isDat = (row: number): boolean => this.small.dat.data[row] === 1;
  takenOf = (row: number): string => this.strings.taken.value(this.takenIds.data[row])!;
  /** How many places a vault copy stands for (1 for a copy on disk). */
  placesOf = (row: number): number => this.ints.places.data[row];
  /** The picture's size once known (a .dat's decoded size) or presumed, else -1. */
  pictureSizeOf = (row: number): number => this.pictureSize.data[row];

  /** Everything known of a copy, as plain data. */
  facts(row: number): PlaceFacts {
    return {
      where: this.where(row),
      path: this.paths[row],
      root: this.strings.root.value(this.ints.root.data[row])!,
      source: SOURCE_KINDS[this.small.source.data[row]],
      kind: IMAGE_KINDS[this.small.kind.data[row]],
      account: this.strings.account.value(this.ints.account.data[row]),
      chat: this.strings.chat.value(this.ints.chat.data[row]),
      size: this.sizeOf(row),
      mtimeMs: this.mtimeOf(row),
      taken: this.takenOf(row),
      month: this.strings.month.value(this.ints.month.data[row])!,
      dat: this.isDat(row),
      device: this.strings.device.value(this.ints.device.data[row]),
      places: this.ints.places.data[row],
      present: this.ints.present.data[row],
    };
  }
}
