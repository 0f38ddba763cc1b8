/**
 * The executor contract: where pure ops run and how their results are cached (docs/explanation/nix-executor.md).
 *
 * @module
 */
import type { Operation } from "../ops/operation.ts";
import type { Binding, Value } from "../protocol/value.ts";

/** One pure op (never a sub-call) with the bindings of the variables it references. */
export interface PureTask {
  readonly op: Operation;
  /** Every variable the op references, by name (for `eval` without `inputs`: all of them). */
  readonly vars: ReadonlyMap<string, Binding>;
}

/**
 * One pure op of a graph: like a `PureTask`, but a variable may be the result of an earlier
 * node of the same graph, not known before the graph runs.
 */
export interface GraphTask extends PureTask {
  /** The variables that earlier nodes produce: name → node index (always below this node's). */
  readonly upstream: ReadonlyMap<string, number>;
}

/** How one pure op ended. */
export type PureOutcome =
  | { readonly ok: true; readonly value: Value; readonly cached: boolean; readonly ms: number }
  | { readonly ok: false; readonly error: Error; readonly ms: number };

/**
 * Runs whole graphs of pure ops at once (the nix executor: one expression, one round of Nix),
 * so chained ops need no round trip through the plan runner between them.
 */
export interface GraphRunner {
  /** Whether `op` may be a node of a graph (the others go to `Executor.run`). */
  accepts(op: Operation): boolean;
  /**
   * Run `nodes` (in dependency order: a node's upstream nodes come before it); outcomes in node
   * order. A node whose upstream node failed is not run and has a failed outcome too.
   */
  run(nodes: readonly GraphTask[], options?: { signal?: AbortSignal }): Promise<PureOutcome[]>;
}

/** Runs batches of independent pure ops; both executors pass one conformance suite. */
export interface Executor {
  readonly name: "local" | "nix";
  /** Run independent tasks (concurrently where the executor can); outcomes in task order. */
  run(tasks: readonly PureTask[], options?: { signal?: AbortSignal }): Promise<PureOutcome[]>;
  /**
   * Optional: run chains of pure ops as one graph. Without it, the plan runner hands `run` the
   * ops that are ready, batch after batch.
   */
  readonly graph?: GraphRunner;
}
