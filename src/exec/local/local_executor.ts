/**
 * The `local` executor (docs/reference/cli.md `--executor`): every op but the sub-calls runs in
 * this process (grep and count over a big context file in parallel parts, eval through the
 * sandbox port); results go to the result store, when there is one.
 *
 * @module
 */
import type { ResultStore } from "../../cache/store.ts";
import { opEffect } from "../../ops/op_effect.ts";
import { runOp } from "../../ops/run_op.ts";
import type { OpPorts } from "../../ops/types.ts";
import type { Executor, PureOutcome, PureTask } from "../executor.ts";
import { opKey } from "../op_key.ts";
import { runInParts } from "./run_in_parts.ts";

/** Options of the local executor. */
export interface LocalExecutorOptions {
  /** Where results are cached; none (the default) means `--no-cache`. */
  store?: ResultStore;
  /** The sandbox for `eval`; other ports are ignored (pure ops have no other effects). */
  ports?: OpPorts;
  /**
   * Most threads that scan one big context file at once (grep and count split into line-aligned
   * parts, `runInParts`); 1 scans on this thread only. Default: the number of CPU cores.
   */
  parallelScan?: number;
}

/**
 * Create the local executor.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { hashValue } from "../../cache/hash.ts";
 * import { openFileStore } from "../../cache/file_store.ts";
 * import { parseOperation } from "../../ops/parse_operation.ts";
 * const dir = await Deno.makeTempDir();
 * const executor = createLocalExecutor({ store: await openFileStore(dir) });
 * const op = parseOperation({ op: "count", args: { input: "context", mode: "words" } });
 * const vars = new Map([["context", { value: "two words", hash: hashValue("two words") }]]);
 * const [first] = await executor.run([{ op, vars }]);
 * const [again] = await executor.run([{ op, vars }]);
 * assertEquals([first, again].map((o) => o.ok && [o.value, o.cached]), [["2", false], ["2", true]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function createLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  const { store, ports = {}, parallelScan } = options;
  const runOne = async (task: PureTask, signal?: AbortSignal): Promise<PureOutcome> => {
    const start = performance.now();
    try {
      // A sandbox op's result may depend on the sandbox's runtime (its Python version).
      const runtime = opEffect(task.op) === "sandbox" ? ports.sandbox?.identity : undefined;
      const key = store ? opKey(task.op, task.vars, runtime) : undefined;
      if (store && key) {
        const hit = await store.get("op", key);
        if (hit !== undefined) {
          return { ok: true, value: hit, cached: true, ms: performance.now() - start };
        }
      }
      const value = await (runInParts(task.op, task.vars, { parallel: parallelScan, signal }) ??
        runOp(task.op, task.vars, { ...ports, signal }));
      if (store && key) await store.put("op", key, value);
      return { ok: true, value, cached: false, ms: performance.now() - start };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return { ok: false, error: e, ms: performance.now() - start };
    }
  };
  return {
    name: "local",
    run: (tasks, opts) => Promise.all(tasks.map((task) => runOne(task, opts?.signal))),
  };
}
