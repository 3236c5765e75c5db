/**
 * Runs work over items with at most `limit` in flight, keeping results in input order. I/O-bound
 * work on small files (stat, a head read, hashing) is latency-bound: a few in flight keep the
 * disk and the thread pool busy where one at a time leaves both idle.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
