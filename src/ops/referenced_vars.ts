/**
 * The variables an operation reads, from its op's spec.
 *
 * @module
 */
import type { OperationOf, OpName } from "./operation.ts";
import { specOf } from "./spec_of.ts";

/**
 * The variables `op` reads: the names in its variable args (`input`, `inputs`, `context`); for
 * an op that reads every variable (`eval` without `inputs`), every name in `allNames`.
 *
 * @example
 * ```ts
 * import { referencedVars } from "./referenced_vars.ts";
 * referencedVars({ op: "combine", args: { inputs: ["a", "b", "a"], strategy: "concat" } }, []);
 * // ["a", "b"]
 * ```
 */
export function referencedVars<K extends OpName>(
  op: OperationOf<K>,
  allNames: readonly string[],
): string[] {
  if (readsEveryVar(op)) return [...allNames];
  const args: Record<string, unknown> = op.args;
  const names: string[] = [];
  for (const key of specOf(op).variableArgs) {
    const arg = args[key];
    if (typeof arg === "string") names.push(arg);
    // A loop, not a spread: a list may name 200 000 variables.
    if (Array.isArray(arg)) { for (const name of arg) names.push(name); }
  }
  return names.length < 2 ? names : [...new Set(names)];
}

/**
 * Whether `op` reads every variable (`eval` without `inputs`), so `referencedVars` needs them all.
 *
 * @example
 * ```ts
 * import { readsEveryVar } from "./referenced_vars.ts";
 * readsEveryVar({ op: "eval", args: { code: "print(len(context))" } }); // true
 * ```
 */
export function readsEveryVar<K extends OpName>(op: OperationOf<K>): boolean {
  return specOf(op).readsEveryVar?.(op.args) ?? false;
}
