/**
 * The `nix` executor (docs/explanation/nix-executor.md): every pure op is a Nix derivation whose inputs are store paths
 * of its input values and whose builder runs the same op code as the local executor; the Nix
 * store is the cache. A graph of ops (`Executor.graph`: a chain takes its upstream op's
 * derivation as input) is one Nix expression realised in one round, so Nix orders the chain and
 * runs independent ops in parallel.
 *
 * @module
 */
import { encodeEntry } from "../../cache/file_store.ts";
import { OpError } from "../../ops/op_error.ts";
import type { OpPorts } from "../../ops/types.ts";
import { hashValue } from "../../cache/hash.ts";
import type { Operation } from "../../ops/operation.ts";
import type { Binding } from "../../protocol/value.ts";
import type { Executor, GraphTask, PureOutcome, PureTask } from "../executor.ts";
import { createLocalExecutor } from "../local/local_executor.ts";
import { opKey } from "../op_key.ts";
import type { ResultStore } from "../../cache/store.ts";
import { decodeOutcome, type Outcome } from "./_outcome.ts";
import { nix, tail } from "./_nix_cli.ts";
import { buildOps, type GraphJob } from "./_build_ops.ts";
import { setupBuilder } from "./_setup.ts";
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
  wasiPython?: { wasm: string; stdlib?: string; limits: SandboxLimits };
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

  const accepts = (op: Operation) => op.op !== "eval" || evalInNix;
  const keyOf = (op: Operation, vars: ReadonlyMap<string, Binding>) =>
    opKey(op, vars, op.op === "eval" ? runtime : "nix");
  const lookUp = (key: string) => (useCache ? index.readOutcome("op", key) : undefined);

  const runGraph = async (nodes: readonly GraphTask[]): Promise<PureOutcome[]> => {
    const start = performance.now();
    const outcomes: PureOutcome[] = new Array(nodes.length);
    // The values of the nodes known so far, hashed when a later node reads them (for its key).
    const read = new Set(nodes.flatMap((n) => [...n.upstream.values()]));
    const values: (Binding | undefined)[] = new Array(nodes.length);
    const failed = new Set<number>();
    const settle = (k: number, outcome: Outcome, cached: boolean) => {
      outcomes[k] = toPure(outcome, cached, start);
      if (!outcome.ok) failed.add(k);
      else if (read.has(k)) values[k] = { value: outcome.value, hash: hashValue(outcome.value) };
    };
    const failedInput = (k: number, upstream: ReadonlyMap<string, number>) => {
      const name = [...upstream].find(([, u]) => failed.has(u))?.[0];
      if (name === undefined) return false;
      failed.add(k);
      outcomes[k] = {
        ok: false,
        error: new Error(`not run: its input "${name}" failed`),
        ms: performance.now() - start,
      };
      return true;
    };
    // The index hits of the nodes whose inputs are all known before the graph runs, at once.
    const early = await Promise.all(nodes.map(async ({ op, vars, upstream }) => {
      if (upstream.size > 0) return undefined;
      const key = keyOf(op, vars);
      return { key, hit: await lookUp(key) };
    }));
    const jobs: GraphJob[] = [];
    for (const [k, node] of nodes.entries()) {
      if (failedInput(k, node.upstream)) continue;
      const vars = new Map(node.vars);
      const pending = new Map<string, number>();
      for (const [name, u] of node.upstream) {
        const value = values[u];
        if (value) vars.set(name, value);
        else pending.set(name, u);
      }
      // A node whose upstream nodes were all hits has a key now; else Nix finds its output.
      let looked = early[k];
      if (looked === undefined && pending.size === 0) {
        const key = keyOf(node.op, vars);
        looked = { key, hit: await lookUp(key) };
      }
      if (looked?.hit) settle(k, looked.hit, true);
      else jobs.push({ node: k, op: node.op, key: looked?.key, vars, pending });
    }
    if (jobs.length === 0) return outcomes;
    const inputs = new Map<string, Binding>();
    for (const { vars } of jobs) for (const b of vars.values()) inputs.set(b.hash, b);
    const built = await buildOps(jobs, paths, {
      valuePaths: await index.addValues([...inputs.values()]),
      maxJobs,
      evalLimits: options.wasiPython?.limits,
    });
    // Outcomes in node order (an upstream node's value is needed for its dependents' keys); the
    // index entries are independent small files, written all at once.
    const writes: Promise<void>[] = [];
    for (const [j, job] of jobs.entries()) {
      const k = job.node;
      if (failedInput(k, job.pending)) continue;
      const result = built[j];
      if (result instanceof Error) {
        failed.add(k);
        outcomes[k] = { ok: false, error: result, ms: performance.now() - start };
        continue;
      }
      const vars = new Map(job.vars);
      for (const [name, u] of job.pending) vars.set(name, values[u] as Binding);
      writes.push(index.write("op", job.key ?? keyOf(job.op, vars), result.path));
      settle(k, result.outcome, result.cached);
    }
    await Promise.all(writes);
    return outcomes;
  };

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

function toPure(outcome: Outcome, cached: boolean, start: number): PureOutcome {
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
