/**
 * The cache key of a pure op (docs/how-to/cache.md): sha256 of a canonical JSON of the format version,
 * the op, its literal args and the content hashes of its input values.
 *
 * @module
 */
import { hashKey } from "../cache/hash.ts";
import type { Operation } from "../ops/operation.ts";
import { specOf } from "../ops/spec_of.ts";
import type { Binding } from "../protocol/value.ts";

/**
 * Key of `op` applied to `vars` (the bindings it references). `runtime` identifies what runs
 * the op when that can change its result (the Python runtime of `eval`).
 *
 * Variable names never enter the key of ops that only read values (their spec's `variableArgs`
 * enter as content hashes), so the same op on the same content hits the cache whatever the
 * variables are called; an op that sees its variables by name (the spec's `seesNames`: `eval`)
 * is keyed by the name and hash of every variable in `vars` instead.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { hashValue } from "../cache/hash.ts";
 * import { parseOperation } from "../ops/parse_operation.ts";
 * const count = parseOperation({ op: "count", args: { input: "a" } });
 * const renamed = parseOperation({ op: "count", args: { input: "b" } });
 * const x = { value: "x", hash: hashValue("x") };
 * // The same op on the same content: the same key, whatever the variable is called.
 * assertEquals(opKey(count, new Map([["a", x]])), opKey(renamed, new Map([["b", x]])));
 * ```
 */
export function opKey(
  op: Operation,
  vars: ReadonlyMap<string, Binding>,
  runtime?: string,
): string {
  const { variableArgs, seesNames = false } = specOf(op);
  const literals: Record<string, unknown> = {};
  const inputs: Record<string, unknown> = {};
  for (const [name, arg] of Object.entries(op.args)) {
    if (!(variableArgs as readonly string[]).includes(name)) {
      literals[name] = arg;
      continue;
    }
    if (seesNames) continue;
    inputs[name] = Array.isArray(arg)
      ? arg.map((n: string) => hashOf(vars, n))
      : hashOf(vars, arg as string);
  }
  if (seesNames) {
    const named: Record<string, string> = {};
    for (const [name, binding] of vars) named[name] = binding.hash;
    inputs.vars = named;
  }
  return hashKey({ op: op.op, args: literals, inputs, runtime });
}

function hashOf(vars: ReadonlyMap<string, Binding>, name: string): string {
  // A missing variable still gets a key: running the op then reports it to the model.
  return vars.get(name)?.hash ?? `missing:${name}`;
}
