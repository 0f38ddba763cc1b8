/**
 * The spec of an operation's op, typed so that its functions take the operation's args.
 *
 * @module
 */
import { OP_SPECS } from "./_op_specs.ts";
import type { OpSpec } from "./op_spec.ts";
import type { OperationOf, OpName } from "./operation.ts";

/** Every op's spec, by name, as a mapped type (so `OpSpecs[K]` takes `OpArgs<K>`). */
export type OpSpecs = { [K in OpName]: OpSpec<K, (typeof OP_SPECS)[K]["args"]> };

const SPECS: OpSpecs = OP_SPECS;

/**
 * The spec of `op`'s op.
 *
 * @example
 * ```ts
 * import { specOf } from "./spec_of.ts";
 * const op = { op: "count", args: { input: "a", mode: "lines", ignore_case: false } } as const;
 * specOf(op).variableArgs; // ["input"]
 * ```
 */
export function specOf<K extends OpName>(op: OperationOf<K>): OpSpecs[K] {
  return SPECS[op.op];
}
