/**
 * What Ctrl-C means. For a run it is an interruption (exit 130, safe by construction); a command
 * that runs until the user stops it (serve) takes it over, stops cleanly and exits 0.
 */
let takenOver: (() => void) | null = null;

export function takeOverInterrupt(stop: () => void): () => void {
  takenOver = stop;
  return () => void (takenOver = null);
}

/** True when a command took the interruption over (and it was handed to it). */
export function handInterrupt(): boolean {
  if (!takenOver) return false;
  takenOver();
  return true;
}
