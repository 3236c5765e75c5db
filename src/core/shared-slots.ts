/** Smallest slot made; slots are sized in powers of two, so a slot once made serves many later images. */
const MIN_SLOT = 64 << 10;
/** Free slots kept past this many bytes are dropped (a run of large photos must not pin memory). */
const KEEP_FREE_BYTES = 32 << 20;

/**
 * Shared memory lent to a reader thread to read a new image into, and given back once the zip
 * writer has written it. Before, each image came back as a fresh ArrayBuffer of its own: 815 MB of
 * them on the bench, which V8 counts as external memory and answers with a full garbage
 * collection every few tens of megabytes, and which glibc could not hand back between threads (the
 * 300 000-file run's malloc arenas). A few slots, reused, cost neither.
 */
export class SharedSlots {
  private readonly free: SharedArrayBuffer[] = [];
  private freeBytes = 0;

  /** A slot of at least `size` bytes, plus one: a file that grew shows as a different size. */
  acquire(size: number): SharedArrayBuffer {
    const need = size + 1;
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i].byteLength >= need && (best < 0 || this.free[i].byteLength < this.free[best].byteLength)) best = i;
    }
    if (best < 0) return new SharedArrayBuffer(Math.max(MIN_SLOT, 2 ** Math.ceil(Math.log2(need))));
    const [slot] = this.free.splice(best, 1);
    this.freeBytes -= slot.byteLength;
    return slot;
  }

  release(slot: SharedArrayBuffer): void {
    if (this.freeBytes + slot.byteLength > KEEP_FREE_BYTES) return;
    this.free.push(slot);
    this.freeBytes += slot.byteLength;
  }
}
