/**
 * The one place that calls an op's implementation.
 *
 * @module
 */
import type { Binding, Value } from "../protocol/value.ts";
import type { Operation, OperationOf, OpName } from "./operation.ts";
import { OPS } from "./registry.ts";
import type { OpPorts, Vars } from "./types.ts";
import { createVars } from "./vars.ts";

/**
 * Run `op` on `vars` (the bindings it may reference) with `ports` (the effects it may use): the
 * op's value, or a promise of it for an op that waits (a scan, a sandbox, a sub-call). Throws (or
 * rejects with) `OpError` for what the model can fix; any other error is not the op's input's
 * fault. Imports no spec (no zod), so the Nix builder's bundle can use it.
 *
 * @example
 * ```ts
 * import { runOp } from "./run_op.ts";
 * const vars = new Map([["context", { value: "a\nb\n", hash: "" }]]);
 * const op = { op: "count", args: { input: "context", mode: "lines", ignore_case: false } } as const;
 * await runOp(op, vars, {}); // "2"
 * ```
 */
export function runOp(
  op: Operation,
  vars: ReadonlyMap<string, Binding>,
  ports: OpPorts,
): Value | Promise<Value> {
  return dispatch(op, createVars(vars, op.op), ports);
}

function dispatch<K extends OpName>(op: OperationOf<K>, vars: Vars, ports: OpPorts) {
  return OPS[op.op](op.args, vars, ports);
}
