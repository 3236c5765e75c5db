import type Database from 'better-sqlite3';
import { scratchDatabase } from './scratch-db.js';

/**
 * Items grouped by a key, to be taken one group at a time: archive's scanned files by month,
 * restore's planned files by archive. Up to `limit` items are held in memory; past that, every
 * item goes to a temporary SQLite database (deleted when the spool closes), so 300 000 files cost
 * the memory of the largest group, not of all of them. JSON keeps an item's fields as they were.
 */
export class GroupSpool<T> {
  private readonly held = new Map<string, T[]>();
  private db: Database.Database | null = null;
  private insert: Database.Statement | null = null;
  private count = 0;

  constructor(private readonly keyOf: (item: T) => string, private readonly limit = 50_000) {}

  get size(): number {
    return this.count;
  }

  get spilled(): boolean {
    return this.db !== null;
  }

  add(item: T): void {
    this.count++;
    const key = this.keyOf(item);
    if (!this.db && this.count <= this.limit) {
      const list = this.held.get(key);
      if (list) list.push(item);
      else this.held.set(key, [item]);
      return;
    }
    if (!this.db) this.spill();
    this.insert!.run(key, JSON.stringify(item));
  }

  private spill(): void {
    const db = scratchDatabase();
    db.exec('CREATE TABLE items (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, data TEXT NOT NULL)');
    this.insert = db.prepare('INSERT INTO items (key, data) VALUES (?, ?)');
    db.exec('BEGIN');
    for (const [key, list] of this.held) for (const item of list) this.insert.run(key, JSON.stringify(item));
    this.held.clear();
    this.db = db;
  }

  /** The keys, in sorted order. Call once, after the last add. */
  keys(): string[] {
    if (!this.db) return [...this.held.keys()].sort();
    this.db.exec('COMMIT');
    this.db.exec('CREATE INDEX items_key ON items (key, seq)');
    return this.db.prepare('SELECT DISTINCT key FROM items ORDER BY key').pluck().all() as string[];
  }

  /** A group's items, in the order they were added; the spool forgets them. */
  take(key: string): T[] {
    if (!this.db) {
      const list = this.held.get(key) ?? [];
      this.held.delete(key);
      return list;
    }
    const rows = this.db.prepare('SELECT data FROM items WHERE key = ? ORDER BY seq').pluck().all(key) as string[];
    return rows.map((r) => JSON.parse(r) as T);
  }

  /**
   * A group's items in order, at most `size` at a time: for groups that may be far larger than
   * what the spool holds (restore: every place whose image one zip stores).
   */
  *takeInChunks(key: string, size: number): Generator<T[]> {
    if (!this.db) {
      const list = this.take(key);
      for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
      return;
    }
    // Page by seq rather than hold a statement open across the caller's awaits.
    const page = this.db.prepare('SELECT seq, data FROM items WHERE key = ? AND seq > ? ORDER BY seq LIMIT ?');
    for (let after = 0; ; ) {
      const rows = page.all(key, after, size) as { seq: number; data: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].seq;
      yield rows.map((r) => JSON.parse(r.data) as T);
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.held.clear();
  }
}
