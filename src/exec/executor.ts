/**
 * The executor contract: where pure ops run and how their results are cached (SPEC §5).
 *
 * @module
 */
import type { Operation } from "../protocol/ops.ts";
import type { Binding, Value } from "../protocol/value.ts";

/** One pure op (never a sub-call) with the bindings of the variables it references. */
export interface PureTask {
  readonly op: Operation;
  /** Every variable the op references, by name (for `eval` without `inputs`: all of them). */
  readonly vars: ReadonlyMap<string, Binding>;
}

/** How one pure op ended. */
export type PureOutcome =
  | { readonly ok: true; readonly value: Value; readonly cached: boolean; readonly ms: number }
  | { readonly ok: false; readonly error: Error; readonly ms: number };

/** Runs batches of independent pure ops; both executors pass one conformance suite. */
export interface Executor {
  readonly name: "local" | "nix";
  /** Run independent tasks (concurrently where the executor can); outcomes in task order. */
  run(tasks: readonly PureTask[], options?: { signal?: AbortSignal }): Promise<PureOutcome[]>;
  /** Release resources (temp dirs, GC roots of the run). */
  close?(): Promise<void>;
}
