/**
 * A uniform random sample of at most `size` items from a stream whose length is not known ahead
 * (Vitter's algorithm R): clean's preview picks its images while the walk goes, without keeping
 * the plan in memory.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;

  constructor(private readonly size: number, private readonly random: () => number = Math.random) {}

  offer(item: T): void {
    this.seen++;
    if (this.items.length < this.size) return void this.items.push(item);
    // The n-th item replaces one in the sample with chance size / n, which keeps every item seen
    // so far in it with that same chance.
    const j = Math.floor(this.random() * this.seen);
    if (j < this.size) this.items[j] = item;
  }
}
