/**
 * Modification times as picvault records, restores and compares them. A place's time is what
 * Node's stat gave at archive time (`mtimeMs`, a double: about 0.25 µs of precision at today's
 * dates, whatever the file system kept). Restore hands it to `fs.utimes`, which takes seconds as
 * a double: libuv sets them to the microsecond on Linux and macOS (it drops the nanoseconds), and
 * in 100 ns ticks on Windows, computed through doubles (steps of about 1.6 µs at today's dates).
 * A time given back is within about a microsecond of the recorded one, so "the same time" is
 * compared at that precision: a restored file counts as the file that was archived.
 */

/** Two times closer than this are the same time (twice the precision restore can reproduce). */
export const SAME_TIME_MS = 0.002;

export const sameFileTime = (a: number, b: number): boolean => Math.abs(a - b) < SAME_TIME_MS;

/**
 * The seconds to give `fs.utimes` so that the file gets back `mtimeMs` as exactly as it can be
 * set. On POSIX, the recorded time's microsecond, aimed at the middle of that microsecond so that
 * the double's own error cannot tip libuv's truncation into the one before (a millisecond time
 * through `new Date()` came back as .122999 for .123). The microsecond is the recorded time's,
 * truncated as a file system truncates, allowing for the recorded double's error: a time picvault
 * restored once comes back the same every time.
 */
export function utimesSeconds(mtimeMs: number, platform: NodeJS.Platform = process.platform): number {
  if (platform === 'win32') return mtimeMs / 1000;
  const wholeMs = Math.floor(mtimeMs);
  // Half the spacing of doubles near mtimeMs, in microseconds: the most the recorded time is off by.
  const slackUs = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(mtimeMs), 1))) - 53) * 1000 + 1e-3;
  const totalUs = wholeMs * 1000 + Math.floor((mtimeMs - wholeMs) * 1000 + slackUs);
  const seconds = Math.floor(totalUs / 1e6);
  return seconds + (totalUs - seconds * 1e6 + 0.5) / 1e6;
}
