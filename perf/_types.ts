/**
 * The shape every benchmark suite of `deno task bench` returns.
 *
 * @module
 */

/** One measured figure, with its reference measured in the same run where there is one. */
export interface BenchRow {
  /** What was measured, e.g. `grep+count, 200 MB, whole process`. */
  name: string;
  /** The measurement. */
  value: number;
  /** Its unit: `s`, `ms`, `MB`, `GB/s`, `x`... */
  unit: string;
  /** What it is compared against, measured in the same run. */
  reference?: { name: string; value: number };
  /** The target from the issue, in words (`≤ 3x grep -cE`). */
  target?: string;
  /** Whether the target is met; absent when there is no target. */
  pass?: boolean;
  /** Anything a reader needs to read the row right. */
  note?: string;
}

/** What a suite gets to work with. */
export interface BenchContext {
  /** A scratch directory, removed after the run. */
  tmpDir: string;
  /** Smaller inputs, for a quick look (`--quick`). */
  quick: boolean;
  /** Progress on stderr. */
  log(message: string): void;
}

/** A benchmark suite. */
export interface BenchSuite {
  /** Short id used on the command line (`deno task bench ops`). */
  id: string;
  /** Section title in docs/performance.md. */
  title: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
