/**
 * The `nix` executor (SPEC §5): every pure op is a Nix derivation whose inputs are store paths
 * of its input values and whose builder runs the same op code as the local executor; the Nix
 * store is the cache. A batch of ready ops is one Nix expression realised by one Nix
 * invocation, so Nix runs independent ops in parallel.
 *
 * @module
 */
import { encodeEntry } from "../../cache/file_store.ts";
import { OpError } from "../../ops/op_error.ts";
import type { OpPorts } from "../../ops/types.ts";
import type { Binding } from "../../protocol/value.ts";
import type { Executor, PureOutcome, PureTask } from "../executor.ts";
import { createLocalExecutor } from "../local/local_executor.ts";
import { opKey } from "../op_key.ts";
import type { ResultStore } from "../../cache/store.ts";
import { decodeOutcome } from "./_outcome.ts";
import { nix, nixString, tail } from "./_nix_cli.ts";
import { type BuildResult, type OpDerivation, realiseBatch } from "./_realise.ts";
import { type BuilderPaths, setupBuilder } from "./_setup.ts";
import { denoBuilderAttrs, V8_FLAGS } from "./_deno_builder.ts";
import type { SandboxLimits } from "../../sandbox/sandbox_limits.ts";

/** Options of the Nix executor. */
export interface NixExecutorOptions {
  /** The cache directory: the index of op results and added values lives in `<cacheDir>/nix`. */
  cacheDir: string;
  /** Whether to read the index (`--no-cache` still builds in the store, but never reuses). */
  cache?: boolean;
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
  wasiPython?: { wasm: string; stdlib: string; limits: SandboxLimits };
}

/**
 * Create the Nix executor. Fails with a clear error when Nix is missing, too old, or its store
 * is not writable.
 */
export async function createNixExecutor(options: NixExecutorOptions): Promise<Executor> {
  const state = `${options.cacheDir}/nix`;
  const paths = await setupBuilder(state, options.wasiPython);
  const index = new StoreIndex(state);
  const useCache = options.cache !== false;
  // Without a WASI python.wasm, eval runs in the (Pyodide) sandbox outside Nix.
  const evalInNix = paths.python !== undefined;
  const runtime = options.ports?.sandbox?.identity ?? "nix";
  const local = createLocalExecutor({ store: options.store, ports: options.ports });
  const maxJobs = options.maxJobs ?? 2 * navigator.hardwareConcurrency;

  return {
    name: "nix",
    async run(tasks: readonly PureTask[], runOptions = {}): Promise<PureOutcome[]> {
      const outcomes: PureOutcome[] = new Array(tasks.length);
      const looked = await Promise.all(tasks.map(async (task, i) => {
        const start = performance.now();
        const isEval = task.op.op === "eval";
        if (isEval && !evalInNix) return undefined;
        const key = opKey(task.op, task.vars, isEval ? runtime : "nix");
        const hit = useCache ? await index.readOutcome("op", key) : undefined;
        if (hit) outcomes[i] = toPure(hit, true, start);
        return hit ? undefined : { i, key, start };
      }));
      const todo = looked.filter((t) => t !== undefined);
      const evals = evalInNix
        ? []
        : tasks.map((t, i) => [t, i] as const).filter(([t]) => t.op.op === "eval");
      if (evals.length > 0) {
        const done = await local.run(evals.map(([t]) => t), runOptions);
        done.forEach((o, k) => (outcomes[evals[k][1]] = o));
      }
      if (todo.length > 0) {
        const built = await buildOps(
          todo.map(({ i, key }) => ({ task: tasks[i], key })),
          paths,
          index,
          {
            maxJobs,
            evalLimits: options.wasiPython?.limits,
          },
        );
        // The index entries are independent small files: write them all at once.
        await Promise.all(todo.map(async ({ i, key, start }, k) => {
          const result = built[k];
          if (result instanceof Error) {
            outcomes[i] = { ok: false, error: result, ms: performance.now() - start };
            return;
          }
          await index.write("op", key, result.path);
          outcomes[i] = toPure(result.outcome, result.cached, start);
        }));
      }
      return outcomes;
    },
  };
}

function toPure(
  outcome: NonNullable<ReturnType<typeof decodeOutcome>>,
  cached: boolean,
  start: number,
): PureOutcome {
  const ms = performance.now() - start;
  return outcome.ok ? { ok: true, value: outcome.value, cached, ms } : {
    ok: false,
    error: new OpError(
      outcome.message.split(":")[0],
      undefined,
      outcome.message.replace(/^[^:]*: /, ""),
    ),
    ms,
  };
}

/** Build the derivations of `jobs` (independent ops); per job, its output or an error. */
async function buildOps(
  jobs: readonly { task: PureTask; key: string }[],
  paths: BuilderPaths,
  index: StoreIndex,
  settings: { maxJobs: number; evalLimits?: SandboxLimits },
): Promise<BuildResult[]> {
  const { evalLimits } = settings;
  const values = new Map<string, Binding>();
  for (const { task } of jobs) for (const b of task.vars.values()) values.set(b.hash, b);
  const valuePaths = await index.addValues([...values.values()]);
  const derivations = jobs.map(({ task: t, key }): OpDerivation => {
    // The key in the name lets a build log say which ops were really built (the others were hits).
    const name = `rlm-op-${t.op.op}-${key.slice(0, 32)}`;
    const inputs = [...t.vars].map(([name, b]) =>
      `${nixString(name)} = builtins.storePath ${nixString(valuePaths.get(b.hash) as string)};`
    );
    const isEval = t.op.op === "eval" && evalLimits !== undefined;
    const flags = isEval
      ? `${V8_FLAGS},--wasm-max-mem-pages=${Math.floor(evalLimits.memoryMb * 16)}`
      : V8_FLAGS;
    const evalAttrs = isEval
      ? `python_wasm = pythonWasm; python_stdlib = pythonStdlib; eval_memory_mb = "${evalLimits.memoryMb}"; eval_max_output = "${evalLimits.maxOutputBytes}";`
      : "";
    return {
      name,
      op: t.op.op,
      expr: `(derivation {
    name = ${nixString(name)};
    system = builtins.currentSystem;
    ${denoBuilderAttrs("deno", isEval ? "evalBuilderJs" : "builderJs", flags)}
    ${evalAttrs}
    op = ${nixString(JSON.stringify({ op: t.op.op, args: t.op.args }))};
    inputs = builtins.toJSON { ${inputs.join(" ")} };
  })`,
    };
  });
  const prelude = `let
  deno = builtins.storePath ${nixString(paths.deno)};
  builderJs = builtins.storePath ${nixString(paths.builder)};
  ${paths.python ? `pythonWasm = builtins.storePath ${nixString(paths.python.wasm)};` : ""}
  ${paths.python ? `pythonStdlib = builtins.storePath ${nixString(paths.python.stdlib)};` : ""}
  ${paths.python ? `evalBuilderJs = builtins.storePath ${nixString(paths.python.builder)};` : ""}
in`;
  return await realiseBatch(derivations, { ...settings, prelude, hook: paths.hook });
}

/**
 * The executor's index in the cache dir: cache key → store path of the result, and value hash →
 * store path of the value, so a cached op needs no Nix call and a context is added once.
 */
export class StoreIndex {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  #path(ns: string, key: string): string {
    return `${this.dir}/index/${ns}/${key.slice(0, 2)}/${key}`;
  }

  /** The store path recorded for `key`, if it is still in the store. */
  async read(ns: string, key: string): Promise<string | undefined> {
    const path = (await Deno.readTextFile(this.#path(ns, key)).catch(() => "")).trim();
    if (!path) return undefined;
    return (await Deno.stat(path).then(() => true, () => false)) ? path : undefined;
  }

  /** The outcome stored for `key`, verified. */
  async readOutcome(ns: string, key: string) {
    const path = await this.read(ns, key);
    if (!path) return undefined;
    return decodeOutcome(await Deno.readFile(path));
  }

  async write(ns: string, key: string, storePath: string): Promise<void> {
    const file = this.#path(ns, key);
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    const tmp = `${file}.tmp-${crypto.randomUUID()}`;
    await Deno.writeTextFile(tmp, storePath);
    await Deno.rename(tmp, file);
  }

  /** Store paths of values, adding the ones not there yet in one `nix-store --add`. */
  async addValues(values: Binding[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: Binding[] = [];
    for (const b of values) {
      const p = await this.read("value", b.hash);
      if (p) found.set(b.hash, p);
      else missing.push(b);
    }
    if (missing.length === 0) return found;
    const dir = await Deno.makeTempDir({ prefix: "rlm-nix-values-" });
    try {
      const files: string[] = [];
      for (const [k, b] of missing.entries()) {
        // Same name for every value: the store path then depends on the content alone.
        await Deno.mkdir(`${dir}/${k}`);
        const f = `${dir}/${k}/rlm-value`;
        await Deno.writeFile(f, encodeEntry(b.value));
        files.push(f);
      }
      const r = await nix("nix-store", ["--add", ...files]);
      if (r.code !== 0) throw new Error(`Cannot add values to the Nix store: ${tail(r.stderr)}`);
      const added = r.stdout.trim().split("\n");
      for (const [k, b] of missing.entries()) {
        found.set(b.hash, added[k]);
        await this.write("value", b.hash, added[k]);
      }
      return found;
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
}
