import type { CacheInfo } from './cache.js';
import type { Sample } from './measure.js';

/**
 * What a bench suite gets for one shape's tree. A suite is a file of steps (core.ts: scan,
 * archive, restore and their peers; clean.ts) or of a report (dedupe.ts), listed in run.ts.
 */
export interface BenchContext {
  cache: CacheInfo;
  /** The tree's root: what picvault and the peers are pointed at. */
  src: string;
  /** The shape's work folder; every output goes under out(). */
  work: string;
  out(name: string): string;
  /** picvault's real binary, bin/picvault.js. */
  bin: string;
  /** Removes p and makes its parent: a step's output starts from nothing. */
  fresh(p: string): Promise<void>;
  /** Runs picvault's real binary under GNU time (see timed). */
  picvault(args: string[], stdout?: string): Omit<Sample, 'bytes'>;
  /** Runs a peer under GNU time, in the work folder unless cwd says. */
  peer(cmd: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Omit<Sample, 'bytes'>;
  /** Whether the peers run on this tree (always on the default trees; big ones need --peers). */
  peers: boolean;
  /** Repetitions of each step. */
  reps: number;
  /** Whether the disk can take a restore of everything (the tree written out again). */
  restores: boolean;
  log(s: string): void;
}

export interface Step {
  /** The row's group: picvault's step of that group is the one each peer's ratio is taken against. */
  group: string;
  tool: string;
  /** What the step reads: read once, untimed, before it runs (see warm). */
  reads: string[];
  /** What the step leaves, removed when the repetition ends (or at once when the disk is short). */
  outputs: string[];
  /** Bytes it writes, for the disk estimate. */
  writes: number;
  run(): Promise<Sample>;
}

/** A line of the targets table: measured against its limit (met when at most the limit). */
export interface Target {
  name: string;
  value: number | null;
  limit: number;
  /** Shown instead of the value, and met or not by itself (a count rather than a ratio). */
  text?: string;
  met?: boolean;
}

/** Each tool's figures over the repetitions. */
export interface Row {
  group: string;
  tool: string;
  seconds: number;
  runs: number[];
  peakMB: number;
  bytes: number;
  notes: string[];
}

export interface Suite {
  name: string;
  /** Once per tree, untimed: inputs the steps read (a vault to restore from). */
  setup?(ctx: BenchContext): Promise<void>;
  steps(ctx: BenchContext): Step[];
  /** Once after the repetitions: the targets this suite checks, from every suite's rows. */
  targets?(ctx: BenchContext, rows: Row[]): Promise<Target[]>;
  /** Bytes its setup keeps for the whole shape, for the disk estimate. */
  keeps?(ctx: Pick<BenchContext, 'cache' | 'peers'>): number;
  /**
   * Once after the targets, on the same tree: a suite that measures in its own way (dedupe's
   * tables, bench/dedupe.ts) gives its markdown lines, printed under the shape's tables.
   */
  report?(ctx: BenchContext): Promise<string[]>;
}

export const pvRow = (rows: Row[], group: string) => rows.find((r) => r.group === group && r.tool.startsWith('picvault'));
export const ratio = (rows: Row[], tool: string, peer: string) => {
  const a = rows.find((r) => r.tool === tool);
  const b = rows.find((r) => r.tool === peer);
  return a && b ? a.seconds / b.seconds : null;
};
