/**
 * One round of the Nix executor's graph runner (`Executor.graph`; docs/explanation/nix-executor.md):
 * index hits first, then one build of every node that missed, a node reading another node's
 * result taking that node's derivation as its input; then every built node is indexed under its
 * key.
 *
 * @module
 */
import { hashValue } from "../../cache/hash.ts";
import type { Operation } from "../../ops/operation.ts";
import type { Binding } from "../../protocol/value.ts";
import type { GraphTask, PureOutcome } from "../executor.ts";
import type { GraphJob } from "./_build_ops.ts";
import { opErrorOf, type Outcome } from "./_outcome.ts";
import type { BuildResult } from "./_realise.ts";

/** What a round needs from its executor. */
export interface GraphRoundPorts {
  /** The cache key of `op` on `vars`. */
  keyOf(op: Operation, vars: ReadonlyMap<string, Binding>): string;
  /** The outcome indexed under `key`, if any. */
  lookUp(key: string): Promise<Outcome | undefined>;
  /** Build `jobs` in one round (in dependency order); per job, its output or an error. */
  build(jobs: readonly GraphJob[]): Promise<BuildResult[]>;
  /** Index the output `storePath` under `key`. */
  record(key: string, storePath: string): Promise<void>;
}

/** A node's cache key, when its inputs were known, and the outcome indexed under it. */
interface Looked {
  key: string;
  hit: Outcome | undefined;
}

/** Run `nodes` (in dependency order) in one round; outcomes in node order. */
export async function runGraphRound(
  nodes: readonly GraphTask[],
  ports: GraphRoundPorts,
): Promise<PureOutcome[]> {
  return await new GraphRound(nodes, ports).run();
}

class GraphRound {
  readonly #nodes: readonly GraphTask[];
  readonly #ports: GraphRoundPorts;
  readonly #start = performance.now();
  readonly #outcomes: PureOutcome[];
  /** The nodes a later node reads: their values are hashed (for its key) once known. */
  readonly #read: Set<number>;
  /** The values of the nodes known so far, of those a later node reads. */
  readonly #values: (Binding | undefined)[];
  readonly #failed = new Set<number>();

  constructor(nodes: readonly GraphTask[], ports: GraphRoundPorts) {
    this.#nodes = nodes;
    this.#ports = ports;
    this.#outcomes = new Array(nodes.length);
    this.#read = new Set(nodes.flatMap((n) => [...n.upstream.values()]));
    this.#values = new Array(nodes.length);
  }

  async run(): Promise<PureOutcome[]> {
    const jobs = await this.#misses(await this.#earlyHits());
    if (jobs.length > 0) await this.#settleBuilt(jobs, await this.#ports.build(jobs));
    return this.#outcomes;
  }

  /** The index hits of the nodes whose inputs are all known before the round, at once. */
  #earlyHits(): Promise<(Looked | undefined)[]> {
    return Promise.all(this.#nodes.map(async ({ op, vars, upstream }) => {
      if (upstream.size > 0) return undefined;
      const key = this.#ports.keyOf(op, vars);
      return { key, hit: await this.#ports.lookUp(key) };
    }));
  }

  /** Settle the hits, in node order; the nodes left to build, as jobs. */
  async #misses(early: (Looked | undefined)[]): Promise<GraphJob[]> {
    const jobs: GraphJob[] = [];
    for (const [k, node] of this.#nodes.entries()) {
      if (this.#failedInput(k, node.upstream)) continue;
      const vars = new Map(node.vars);
      const pending = new Map<string, number>();
      for (const [name, u] of node.upstream) {
        const value = this.#values[u];
        if (value) vars.set(name, value);
        else pending.set(name, u);
      }
      // A node whose upstream nodes were all hits has a key now; else Nix finds its output.
      let looked = early[k];
      if (looked === undefined && pending.size === 0) {
        const key = this.#ports.keyOf(node.op, vars);
        looked = { key, hit: await this.#ports.lookUp(key) };
      }
      if (looked?.hit) this.#settle(k, looked.hit, true);
      else jobs.push({ node: k, op: node.op, key: looked?.key, vars, pending });
    }
    return jobs;
  }

  /**
   * Settle the built jobs in node order (an upstream node's value is needed for its dependents'
   * keys); the index entries are independent small files, written all at once.
   */
  async #settleBuilt(jobs: readonly GraphJob[], built: BuildResult[]): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const [j, job] of jobs.entries()) {
      const k = job.node;
      if (this.#failedInput(k, job.pending)) continue;
      const result = built[j];
      if (result instanceof Error) {
        this.#failed.add(k);
        this.#outcomes[k] = { ok: false, error: result, ms: this.#ms() };
        continue;
      }
      const vars = new Map(job.vars);
      for (const [name, u] of job.pending) vars.set(name, this.#values[u] as Binding);
      writes.push(this.#ports.record(job.key ?? this.#ports.keyOf(job.op, vars), result.path));
      this.#settle(k, result.outcome, result.cached);
    }
    await Promise.all(writes);
  }

  #settle(k: number, outcome: Outcome, cached: boolean): void {
    const ms = this.#ms();
    if (!outcome.ok) {
      this.#failed.add(k);
      this.#outcomes[k] = { ok: false, error: opErrorOf(outcome.error), ms };
      return;
    }
    this.#outcomes[k] = { ok: true, value: outcome.value, cached, ms };
    if (this.#read.has(k)) {
      this.#values[k] = { value: outcome.value, hash: hashValue(outcome.value) };
    }
  }

  /** Whether an input of node `k` failed; then `k` fails too, as not run. */
  #failedInput(k: number, upstream: ReadonlyMap<string, number>): boolean {
    const name = [...upstream].find(([, u]) => this.#failed.has(u))?.[0];
    if (name === undefined) return false;
    this.#failed.add(k);
    this.#outcomes[k] = {
      ok: false,
      error: new Error(`not run: its input "${name}" failed`),
      ms: this.#ms(),
    };
    return true;
  }

  #ms(): number {
    return performance.now() - this.#start;
  }
}
