/**
 * The `nix` executor (docs/explanation/nix-executor.md): every pure op is a Nix derivation whose
 * inputs are store paths of its input values and whose builder runs the same op code as the
 * local executor; the Nix store is the cache, found again through the index in the cache dir
 * (`NixIndex`). `eval` is a derivation only with a WASI python.wasm; else it runs in the sandbox
 * outside Nix, cached in the result store. A graph of ops (`Executor.graph`: a chain takes its upstream op's
 * derivation as input) is one Nix expression realised in one round, so Nix orders the chain and
 * runs independent ops in parallel.
 *
 * @module
 */
import type { OpPorts } from "../../ops/types.ts";
import { opEffect } from "../../ops/op_effect.ts";
import type { Operation } from "../../ops/operation.ts";
import type { Binding } from "../../protocol/value.ts";
import type { Executor, GraphTask, PureOutcome, PureTask } from "../executor.ts";
import { createLocalExecutor } from "../local/local_executor.ts";
import { opKey } from "../op_key.ts";
import { NixIndex } from "../../cache/nix_index.ts";
import type { ResultStore } from "../../cache/store.ts";
import { decodeOutcome } from "./_outcome.ts";
import { buildOps } from "./_build_ops.ts";
import { runGraphRound } from "./_graph_round.ts";
import { setupBuilder } from "./_setup.ts";
import { addValues } from "./_store_values.ts";
import type { SandboxLimits } from "../../sandbox/sandbox_limits.ts";

/** Options of the Nix executor. */
export interface NixExecutorOptions {
  /** The cache directory: the index of op results and added values lives in `<cacheDir>/nix`. */
  cacheDir: string;
  /** `eval` runs in the sandbox outside Nix, cached in this store. */
  store?: ResultStore;
  ports?: OpPorts;
  /**
   * Builds at once; default twice the number of cores. An op's build is short and Nix's own
   * work around each build is serial, so one build per core leaves the cores idle part of the
   * time (see `realiseBatch`).
   */
  maxJobs?: number;
  /**
   * A WASI python.wasm (`--wasm-python`) and the eval limits: then `eval` is a derivation too,
   * with python.wasm and its stdlib as store inputs. Without it, `eval` runs in the sandbox
   * outside Nix (Pyodide), cached in `store`.
   */
  wasiPython?: { wasm: string; stdlib?: string; limits: SandboxLimits };
}

/**
 * Create the Nix executor. Fails with a clear error when Nix is missing, too old, or its store
 * is not writable.
 */
export async function createNixExecutor(options: NixExecutorOptions): Promise<Executor> {
  const index = new NixIndex(options.cacheDir);
  const paths = await setupBuilder(index.dir, options.wasiPython);
  // Without a WASI python.wasm, sandbox ops (eval) run in the Pyodide sandbox outside Nix.
  const sandboxInNix = paths.python !== undefined;
  const runtime = options.ports?.sandbox?.identity ?? "nix";
  const local = createLocalExecutor({ store: options.store, ports: options.ports });
  const maxJobs = options.maxJobs ?? 2 * navigator.hardwareConcurrency;

  const accepts = (op: Operation) => {
    const effect = opEffect(op);
    return effect === "pure" || (effect === "sandbox" && sandboxInNix);
  };
  const keyOf = (op: Operation, vars: ReadonlyMap<string, Binding>) =>
    opKey(op, vars, opEffect(op) === "sandbox" ? runtime : "nix");
  const lookUp = async (key: string) => {
    const path = await index.read("op", key);
    return path === undefined ? undefined : decodeOutcome(await Deno.readFile(path));
  };

  const runGraph = (nodes: readonly GraphTask[]) =>
    runGraphRound(nodes, {
      keyOf,
      lookUp,
      build: async (jobs) => {
        const inputs = new Map<string, Binding>();
        for (const { vars } of jobs) for (const b of vars.values()) inputs.set(b.hash, b);
        return await buildOps(jobs, paths, {
          valuePaths: await addValues(index, [...inputs.values()]),
          maxJobs,
          sandboxLimits: options.wasiPython?.limits,
        });
      },
      record: (key, storePath) => index.write("op", key, storePath),
    });

  return {
    name: "nix",
    async run(tasks: readonly PureTask[], runOptions = {}): Promise<PureOutcome[]> {
      const outcomes: PureOutcome[] = new Array(tasks.length);
      const inNix = tasks.flatMap((t, i) => (accepts(t.op) ? [i] : []));
      const outside = tasks.flatMap((t, i) => (accepts(t.op) ? [] : [i]));
      await Promise.all([
        outside.length > 0 &&
        local.run(outside.map((i) => tasks[i]), runOptions).then((done) =>
          done.forEach((o, k) => (outcomes[outside[k]] = o))
        ),
        inNix.length > 0 &&
        runGraph(inNix.map((i) => ({ ...tasks[i], upstream: new Map() }))).then((done) =>
          done.forEach((o, k) => (outcomes[inNix[k]] = o))
        ),
      ]);
      return outcomes;
    },
    graph: { accepts, run: (nodes) => runGraph(nodes) },
  };
}
