/**
 * A first-in, first-out allocator over one block of shared memory: archive fetches a month's new
 * images into it in the order the zip writer takes them, and the writer gives each back, in the
 * same order, once its bytes are in the zip. One block a month in flight, reused from month to
 * month, in place of a buffer per image: a buffer per image was garbage the main thread's
 * collector met every few tens of megabytes, and memory glibc's arenas kept (docs/performance.md).
 */
export class ByteRing {
  /** Where each region still taken starts, oldest first. */
  private readonly taken: number[] = [];
  private head = 0;

  constructor(readonly memory: SharedArrayBuffer) {}

  get capacity(): number {
    return this.memory.byteLength;
  }

  /** A region of `size` bytes at the head, or null while the oldest regions still hold it. */
  take(size: number): { offset: number; size: number } | null {
    if (size > this.capacity) return null;
    if (this.taken.length === 0) this.head = 0;
    const tail = this.taken.length > 0 ? this.taken[0] : 0;
    let start: number;
    if (this.taken.length === 0 || this.head > tail) {
      // Free space runs from head to the end, then from the start to the tail.
      if (this.head + size <= this.capacity) start = this.head;
      else if (size <= tail) start = 0;
      else return null;
    } else {
      // Wrapped: free space runs from head to the tail.
      if (this.head + size <= tail) start = this.head;
      else return null;
    }
    this.taken.push(start);
    this.head = start + size;
    return { offset: start, size };
  }

  /** Gives back the oldest region still taken. */
  giveBack(): void {
    this.taken.shift();
  }
}
