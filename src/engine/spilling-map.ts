import type Database from 'better-sqlite3';
import { scratchDatabase } from './scratch-db.js';

/**
 * A string-to-string map that holds up to `limit` entries in memory and, past that, all of them in
 * a temporary SQLite table: restore remembers every target it gave out, and at 300 000 places a
 * Map of them was 70 MB.
 */
export class SpillingMap {
  private held: Map<string, string> | null = new Map();
  private db: Database.Database | null = null;
  private getStmt: Database.Statement | null = null;
  private setStmt: Database.Statement | null = null;

  constructor(private readonly limit = 50_000) {}

  get(key: string): string | undefined {
    if (this.held) return this.held.get(key);
    return this.getStmt!.pluck().get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    if (this.held && (this.held.size < this.limit || this.held.has(key))) return void this.held.set(key, value);
    if (this.held) this.spill();
    this.setStmt!.run(key, value);
  }

  private spill(): void {
    const db = scratchDatabase();
    db.exec('CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    this.getStmt = db.prepare('SELECT value FROM entries WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    db.exec('BEGIN');
    for (const [k, v] of this.held!) this.setStmt.run(k, v);
    this.held = null;
    this.db = db;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.held = new Map();
  }
}
