import Database from 'better-sqlite3';

/**
 * Scanned files grouped by month, for archive to take one month at a time. Up to `limit` files
 * are held in memory; past that, every file goes to a temporary SQLite database (deleted when the
 * spool closes), so a cache of 300 000 files costs the memory of its largest month, not of all
 * its files. JSON keeps a file's fields as they were.
 */
export class MonthSpool<T extends { month: string; size: number }> {
  private readonly held = new Map<string, T[]>();
  private db: Database.Database | null = null;
  private insert: Database.Statement | null = null;
  private count = 0;
  private bytes = 0;

  constructor(private readonly limit = 50_000) {}

  get files(): number {
    return this.count;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get spilled(): boolean {
    return this.db !== null;
  }

  add(file: T): void {
    this.count++;
    this.bytes += file.size;
    if (!this.db && this.count <= this.limit) {
      const list = this.held.get(file.month);
      if (list) list.push(file);
      else this.held.set(file.month, [file]);
      return;
    }
    if (!this.db) this.spill();
    this.insert!.run(file.month, JSON.stringify(file));
  }

  private spill(): void {
    // A temporary database: no journal, no fsync, nothing to keep if the run dies.
    const db = new Database('');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec('CREATE TABLE files (seq INTEGER PRIMARY KEY, month TEXT NOT NULL, data TEXT NOT NULL)');
    this.insert = db.prepare('INSERT INTO files (month, data) VALUES (?, ?)');
    db.exec('BEGIN');
    for (const list of this.held.values()) for (const f of list) this.insert.run(f.month, JSON.stringify(f));
    this.held.clear();
    this.db = db;
  }

  /** The months, oldest first. Call once, after the last add. */
  months(): string[] {
    if (!this.db) return [...this.held.keys()].sort();
    this.db.exec('COMMIT');
    this.db.exec('CREATE INDEX files_month ON files (month, seq)');
    return this.db.prepare('SELECT DISTINCT month FROM files ORDER BY month').pluck().all() as string[];
  }

  /** A month's files, in the order they were added; the spool forgets them. */
  take(month: string): T[] {
    if (!this.db) {
      const list = this.held.get(month) ?? [];
      this.held.delete(month);
      return list;
    }
    const rows = this.db.prepare('SELECT data FROM files WHERE month = ? ORDER BY seq').pluck().all(month) as string[];
    return rows.map((r) => JSON.parse(r) as T);
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.held.clear();
  }
}
