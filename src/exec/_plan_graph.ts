/**
 * Who reads whom in a plan, built once in one pass, so the scheduler never scans the plan again.
 *
 * @module
 */
import { OpError } from "../ops/op_error.ts";
import { readsEveryVar, referencedVars } from "../ops/referenced_vars.ts";
import type { Operation } from "../ops/operation.ts";
import type { Binding } from "../protocol/value.ts";

/** Who reads whom: built once, in one pass over the plan. */
export interface PlanGraph {
  /** For each op, the variables it reads and which earlier op produces each (-1: `env`). */
  deps: Map<string, number>[];
  /** For each op, the later ops that read its result. */
  readers: number[][];
  /** For each op, how many distinct earlier ops it reads from. */
  producers: number[];
}

/**
 * For each op of `ops`, the variables it reads, who produces each, and who reads it, resolved
 * against `env` and the binds before it. Throws `OpError` naming the op and a variable no one
 * binds.
 */
export function planGraph(ops: Operation[], env: Map<string, Binding>): PlanGraph {
  const producer = new Map<string, number>();
  for (const name of env.keys()) producer.set(name, -1);
  const readers: number[][] = ops.map(() => []);
  const producers: number[] = ops.map(() => 0);
  const deps = ops.map((op, i) => {
    const deps = new Map<string, number>();
    for (const name of referencedVars(op, readsEveryVar(op) ? [...producer.keys()] : [])) {
      const p = producer.get(name);
      if (p === undefined) throw undefinedVariable(op, i, name, producer);
      deps.set(name, p);
    }
    for (const p of deps.size < 2 ? deps.values() : new Set(deps.values())) {
      if (p === -1) continue;
      readers[p].push(i);
      producers[i]++;
    }
    if (op.bind !== undefined) producer.set(op.bind, i);
    return deps;
  });
  return { deps, readers, producers };
}

function undefinedVariable(
  op: Operation,
  index: number,
  name: string,
  producer: Map<string, number>,
): OpError {
  const known = [...producer.keys()];
  return new OpError(
    `operation ${index + 1} (${op.op})`,
    undefined,
    `variable "${name}" is not defined (defined: ${known.length ? known.join(", ") : "none"})`,
  );
}
