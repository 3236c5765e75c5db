/**
 * How the core reports progress. The CLI draws bars on a terminal; tests and scripts get the
 * silent default. Phases are message keys (the CLI names them in the user's language).
 */
export interface Progress {
  begin(phase: string, total: number, totalBytes?: number): void;
  advance(count?: number, bytes?: number): void;
  end(): void;
}

export const silentProgress: Progress = { begin() {}, advance() {}, end() {} };
