import type Database from 'better-sqlite3';
import { scratchDatabase } from './scratch-db.js';

/**
 * An append-only list that holds up to `limit` items in memory and, past that, all of them in a
 * temporary SQLite table (deleted when the list closes): clean's plan of what goes and what stays
 * grows with the cache, and at 300 000 files it was 97 MB of heap. Reading it back does not
 * consume it. JSON keeps an item's fields as they were.
 */
export class ListSpool<T> {
  private held: T[] | null = [];
  private db: Database.Database | null = null;
  private insert: Database.Statement | null = null;
  private count = 0;

  constructor(private readonly limit = 10_000) {}

  get size(): number {
    return this.count;
  }

  get spilled(): boolean {
    return this.db !== null;
  }

  add(item: T): void {
    this.count++;
    if (this.held && this.held.length < this.limit) return void this.held.push(item);
    if (this.held) this.spill();
    this.insert!.run(JSON.stringify(item));
  }

  private spill(): void {
    const db = scratchDatabase();
    db.exec('CREATE TABLE items (seq INTEGER PRIMARY KEY, data TEXT NOT NULL)');
    this.insert = db.prepare('INSERT INTO items (data) VALUES (?)');
    // One transaction for the list's life: nothing here outlives the run, and a commit per item
    // would cost more than the insert.
    db.exec('BEGIN');
    for (const item of this.held!) this.insert.run(JSON.stringify(item));
    this.held = null;
    this.db = db;
  }

  /** Every item in the order added, at most `size` at a time. */
  *chunks(size = 1000): Generator<T[]> {
    const held = this.held;
    if (held) {
      for (let i = 0; i < held.length; i += size) yield held.slice(i, i + size);
      return;
    }
    // Page by seq rather than hold a statement open across the caller's awaits.
    const page = this.db!.prepare('SELECT seq, data FROM items WHERE seq > ? ORDER BY seq LIMIT ?');
    for (let after = 0; ; ) {
      const rows = page.all(after, size) as { seq: number; data: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].seq;
      yield rows.map((r) => JSON.parse(r.data) as T);
    }
  }

  /** The first `n` items for which `keep` holds, reading no further than needed. */
  first(n: number, keep: (item: T) => boolean = () => true): T[] {
    const found: T[] = [];
    for (const chunk of this.chunks()) {
      for (const item of chunk) {
        if (found.length === n) return found;
        if (keep(item)) found.push(item);
      }
    }
    return found;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.held = [];
    this.count = 0;
  }
}
