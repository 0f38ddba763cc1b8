/**
 * Whether an operation needs a model.
 *
 * @module
 */
import { opEffect } from "./op_effect.ts";
import type { Operation } from "./operation.ts";

/**
 * Whether `op` (with these args) needs a model: its effect is `sub-call` (rlm_call, map, and
 * combine with a strategy that is not built in).
 *
 * @example
 * ```ts
 * import { isSubCall } from "./is_sub_call.ts";
 * isSubCall({ op: "combine", args: { inputs: ["a"], strategy: "pick the longest" } }); // true
 * ```
 */
export function isSubCall(op: Operation): boolean {
  return opEffect(op) === "sub-call";
}
