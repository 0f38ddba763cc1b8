/**
 * What an operation needs beyond its variables, from its op's spec.
 *
 * @module
 */
import type { OpEffect } from "./op_spec.ts";
import type { OperationOf, OpName } from "./operation.ts";
import { specOf } from "./spec_of.ts";

/**
 * The effect of `op` with its args: `pure`, `sandbox` (eval) or `sub-call` (rlm_call, map, and
 * combine with a strategy that is not built in).
 *
 * @example
 * ```ts
 * import { opEffect } from "./op_effect.ts";
 * opEffect({ op: "combine", args: { inputs: ["a"], strategy: "sum" } }); // "pure"
 * ```
 */
export function opEffect<K extends OpName>(op: OperationOf<K>): OpEffect {
  const effect = specOf(op).effect;
  return typeof effect === "function" ? effect(op.args) : effect;
}
