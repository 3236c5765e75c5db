import { ZipReader } from './zip-reader.js';

interface Kept {
  reader: Promise<ZipReader>;
  /** Reads running on it: an evicted reader is closed when the last one ends. */
  users: number;
  evicted: boolean;
}

/**
 * The last few zips opened, kept open: a page of thumbnails reads many entries of one month's
 * zips, and opening a zip parses its whole central directory. Archives are immutable, so a kept
 * reader never goes stale; a zip that could not be opened is tried again next time.
 */
export class ZipReaders {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly keep: number) {}

  /** Runs fn with the zip's reader, opening it if it is not kept. */
  async use<T>(zipPath: string, fn: (reader: ZipReader) => Promise<T>): Promise<T> {
    let k = this.kept.get(zipPath);
    if (k) this.kept.delete(zipPath); // re-inserted below: most recently used last
    else {
      k = { reader: ZipReader.open(zipPath), users: 0, evicted: false };
      k.reader.catch(() => this.kept.get(zipPath) === k && this.kept.delete(zipPath));
    }
    this.kept.set(zipPath, k);
    this.evict();
    k.users++;
    try {
      return await fn(await k.reader);
    } finally {
      k.users--;
      if (k.evicted && k.users === 0) await closeQuietly(k);
    }
  }

  private evict(): void {
    while (this.kept.size > this.keep) {
      const [name, oldest] = this.kept.entries().next().value!;
      this.kept.delete(name);
      oldest.evicted = true;
      if (oldest.users === 0) void closeQuietly(oldest);
    }
  }

  async close(): Promise<void> {
    const all = [...this.kept.values()];
    this.kept.clear();
    await Promise.all(all.map(closeQuietly));
  }
}

const closeQuietly = (k: Kept) => k.reader.then((r) => r.close(), () => undefined);
