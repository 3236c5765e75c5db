/**
 * Every catalogued path, in one buffer, for the page's search: reading the path of each of
 * 300 000 places from the catalogue costs a few hundred milliseconds (the whole table is read),
 * a search of this buffer a few. Paths are kept lower-cased (ASCII only, as SQLite's LIKE
 * compares, so byte offsets stay those of the path), joined by "\n", in the order of their place
 * ids. Places are only ever added (reindex replaces the catalogue file, which a reader never sees),
 * so a refresh appends the places with larger ids.
 *
 * Memory: the paths' bytes (about 150 a place: 46 MB at 300 000), outside the JS heap, and 8 bytes
 * a place for the ids and ends.
 */

function lowerAscii(b: Buffer, from = 0, to = b.length): Buffer {
  for (let i = from; i < to; i++) if (b[i] >= 0x41 && b[i] <= 0x5a) b[i] |= 0x20;
  return b;
}

/** A larger buffer holding the first `used` bytes: half as large again, or what is needed. */
function grown(old: Buffer, used: number, need: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(need, Math.ceil(old.length * 1.5), 1 << 16));
  old.copy(next, 0, 0, used);
  return next;
}

export class PathIndex {
  private text: Buffer = Buffer.alloc(0);
  /** How much of text holds paths; the rest is room to grow. */
  private length = 0;
  private ids = new Int32Array(1024);
  /** Where each path ends in text (the offset of its "\n"). */
  private ends = new Int32Array(1024);
  private count = 0;
  private lastId = 0;

  /**
   * Appends the places added since the last call: `added(lastId)` yields them in id order.
   * `expectedBytes`, when known, sizes the buffer once: growing it copies what it holds.
   */
  refresh(added: (afterId: number) => Iterable<{ id: number; path: string }>, expectedBytes = 0): void {
    if (expectedBytes > this.text.length) this.text = grown(this.text, this.length, expectedBytes);
    for (const { id, path } of added(this.lastId)) {
      const line = `${path.replace(/\n/g, ' ')}\n`;
      const need = this.length + Buffer.byteLength(line);
      if (need > this.text.length) this.text = grown(this.text, this.length, need);
      const start = this.length;
      this.length += this.text.write(line, start);
      lowerAscii(this.text, start, this.length);
      if (this.count === this.ids.length) this.grow();
      this.ids[this.count] = id;
      this.ends[this.count] = this.length - 1;
      this.count++;
      this.lastId = id;
    }
  }

  private grow(): void {
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    [this.ids, this.ends] = [ids, ends];
  }

  /** The ids of the places whose path contains `text` (ASCII case ignored), in id order, from the first id after `afterId`. */
  *find(text: string, afterId = 0): Generator<number> {
    if (text.includes('\n')) return;
    const needle = lowerAscii(Buffer.from(text));
    let row = this.rowAfter(afterId);
    let from = row === 0 ? 0 : this.ends[row - 1] + 1;
    while (row < this.count) {
      const at = needle.length === 0 ? from : this.text.indexOf(needle, from);
      if (at < 0 || at >= this.length) return;
      row = this.rowAt(at, row);
      yield this.ids[row];
      from = this.ends[row] + 1;
      row++;
    }
  }

  /** The row holding byte `at` (the first whose end is past it), searched from row `lo` on. */
  private rowAt(at: number, lo: number): number {
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first row whose id is greater than `id`. */
  private rowAfter(id: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
