/**
 * What a run writes down when Ctrl-C ends the process (cli/run.ts exits from its SIGINT handler,
 * so no `finally` runs): the run's own record, with what it did. Synchronous, like the catalogue:
 * the handler runs between two of the run's awaits, never inside a transaction.
 */
const endings = new Set<() => void>();

/** `end` is called if the process is interrupted before the returned function is. */
export function onInterrupt(end: () => void): () => void {
  endings.add(end);
  return () => void endings.delete(end);
}

/** Called once by the SIGINT handler before it exits; a failing ending leaves the others theirs. */
export function sayLastWords(): void {
  for (const end of [...endings]) {
    endings.delete(end);
    try {
      end();
    } catch {
      // The run stays `running` in the log, and the next run marks it killed.
    }
  }
}
