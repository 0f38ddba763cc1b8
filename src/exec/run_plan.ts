/**
 * Run a plan as a DAG (a commit step, or `rlm exec`; docs/reference/cli.md): independent
 * operations run concurrently, pure ones on the executor in batches (or, with a graph runner, as
 * graphs of chained ops), sub-calls through the ports; every bind persists in `env`.
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import { OpError } from "../ops/op_error.ts";
import { runOp } from "../ops/run_op.ts";
import type { OpPorts } from "../ops/types.ts";
import { isSubCall } from "../ops/is_sub_call.ts";
import type { Operation } from "../ops/operation.ts";
import type { Binding, Value } from "../protocol/value.ts";
import type { Executor, GraphRunner, PureOutcome, PureTask } from "./executor.ts";
import type { Plan } from "./parse_plan.ts";
import { graphNodes, graphTasks } from "./_graph_nodes.ts";
import { type PlanGraph, planGraph } from "./_plan_graph.ts";
import { PlanSchedule } from "./_plan_schedule.ts";

/** Progress of one operation, for live progress and traces. */
export interface OpEvent {
  /** Position of the op in the plan, 0-based. */
  index: number;
  op: Operation;
  phase: "start" | "end";
  cached?: boolean;
  ms?: number;
  error?: string;
  kind?: "text" | "list";
  /** Characters of a text result, items of a list result. */
  size?: number;
  /** The result (only on `end` without error); consumers preview it, never store it whole. */
  value?: Value;
}

/** How to run a plan. */
export interface RunPlanOptions {
  /** Where pure ops run (and how they are cached). */
  executor: Executor;
  /** Effects for sub-call ops (`rlm_call`, `map`, prompt `combine`). */
  ports?: OpPorts;
  /** Cancels in-flight work; the plan then fails. */
  signal?: AbortSignal;
  /** Called when an op starts and ends. */
  onOp?: (event: OpEvent) => void;
}

/** The plan's output variable and its value. */
export interface PlanResult {
  output: string;
  binding: Binding;
}

/**
 * Run `plan` against `env`, binding every result into `env` (in plan order, so a later rebind
 * wins). The first failing operation ends the plan, after the rest are cancelled and settled:
 * bad input throws `OpError` (`operation 2 (grep): ...`), any other failure an `Error` with the
 * same prefix. Binds of the operations that succeeded persist. Scheduling is linear in the
 * plan's size: each op is looked at when it becomes ready, not on every round.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { hashValue } from "../cache/hash.ts";
 * import { createLocalExecutor } from "./local/local_executor.ts";
 * import { parsePlan } from "./parse_plan.ts";
 * const log = "ok\nERROR one\n";
 * const env = new Map([["context", { value: log, hash: hashValue(log) }]]);
 * const plan = parsePlan({ operations: [{ op: "count", args: { input: "context" }, bind: "n" }] });
 * const { output, binding } = await runPlan(plan, env, { executor: createLocalExecutor({}) });
 * assertEquals([output, binding.value, env.get("n")?.value], ["n", "2", "2"]);
 * ```
 */
export async function runPlan(
  plan: Plan,
  env: Map<string, Binding>,
  options: RunPlanOptions,
): Promise<PlanResult> {
  const ops = plan.operations;
  const run = new PlanRun(ops, planGraph(ops, env), env, options);
  const failure = await run.settled();
  for (let i = 0; i < ops.length; i++) {
    const bind = ops[i].bind;
    const binding = run.results[i];
    if (bind !== undefined && binding !== undefined) env.set(bind, binding);
  }
  if (failure !== undefined) throw failure;
  if (options.signal?.aborted) throw abortError(options.signal);
  return outputOf(plan, run.results, env);
}

/**
 * One run of a plan: the ready ops (`PlanSchedule`) are launched (pure ones to the executor as
 * one batch, or to its graph runner with the pure ops that read only them; sub-calls through the
 * ports); as each settles, it is reported and the ops waiting only for it become ready, until
 * nothing is in flight. The first failure cancels the rest.
 */
class PlanRun {
  readonly results: (Binding | undefined)[];
  readonly #ops: Operation[];
  readonly #graph: PlanGraph;
  readonly #schedule: PlanSchedule;
  readonly #env: Map<string, Binding>;
  readonly #options: RunPlanOptions;
  readonly #controller = new AbortController();
  readonly #signal: AbortSignal;
  readonly #ports: OpPorts;
  #inFlight = 0;
  #failure: Error | undefined;
  readonly #done = Promise.withResolvers<void>();

  constructor(
    ops: Operation[],
    graph: PlanGraph,
    env: Map<string, Binding>,
    options: RunPlanOptions,
  ) {
    this.#ops = ops;
    this.#graph = graph;
    this.#schedule = new PlanSchedule(graph);
    this.#env = env;
    this.#options = options;
    this.#signal = options.signal
      ? AbortSignal.any([options.signal, this.#controller.signal])
      : this.#controller.signal;
    this.#ports = { ...options.ports, signal: this.#signal };
    this.results = ops.map(() => undefined);
  }

  /** Run every op that can run; resolves with the first failure, if any, once all settled. */
  async settled(): Promise<Error | undefined> {
    this.#launch();
    if (this.#inFlight === 0) this.#done.resolve();
    await this.#done.promise;
    return this.#failure;
  }

  /** Launch the ops that are ready (and the ops a graph runner takes with them). */
  #launch(): void {
    if (this.#failure !== undefined || this.#signal.aborted) return;
    const ready = this.#schedule.takeReady();
    const runner = this.#options.executor.graph;
    const nodes = runner === undefined
      ? []
      : graphNodes(ready, this.#ops, this.#graph, this.#schedule, runner);
    const inGraph = new Set(nodes);
    const pure = ready.filter((i) => !isSubCall(this.#ops[i]) && !inGraph.has(i));
    this.#start(
      nodes.length === 0 ? ready : [...new Set([...ready, ...nodes])].sort((a, b) => a - b),
    );
    if (runner !== undefined && nodes.length > 0) this.#launchGraph(runner, nodes);
    if (pure.length > 0) this.#launchPure(pure);
    for (const i of ready) if (isSubCall(this.#ops[i])) this.#launchSubCall(i);
  }

  #start(launched: number[]): void {
    this.#schedule.start(launched);
    for (const i of launched) this.#options.onOp?.({ index: i, op: this.#ops[i], phase: "start" });
  }

  #launchSubCall(index: number): void {
    const run = runSubCallOp(this.#ops[index], this.#inputsOf(index), this.#ports);
    this.#track(run.then((o) => this.#settle(index, o)), index);
  }

  #launchPure(pure: number[]): void {
    const tasks: PureTask[] = pure.map((i) => ({ op: this.#ops[i], vars: this.#inputsOf(i) }));
    const run = this.#options.executor.run(tasks, { signal: this.#signal });
    this.#track(
      run.then((outcomes) => outcomes.forEach((o, k) => this.#settle(pure[k], o))),
      pure[0],
    );
  }

  #launchGraph(runner: GraphRunner, nodes: number[]): void {
    const tasks = graphTasks(nodes, this.#ops, this.#graph, (i) => this.#inputsOf(i));
    const run = runner.run(tasks, { signal: this.#signal });
    this.#track(
      run.then((outcomes) => outcomes.forEach((o, k) => this.#settleNode(nodes[k], o))),
      nodes[0],
    );
  }

  /** A graph node's outcome: one whose input's op failed did not run (the plan fails there). */
  #settleNode(index: number, outcome: PureOutcome): void {
    const cause = this.#schedule.failedProducer(index);
    if (cause === undefined) return this.#settle(index, outcome);
    const error = new Error(`not run: operation ${cause + 1} (${this.#ops[cause].op}) failed`);
    this.#settle(index, { ok: false, error, ms: outcome.ms });
  }

  #inputsOf(index: number): Map<string, Binding> {
    const vars = new Map<string, Binding>();
    for (const [name, producer] of this.#graph.deps[index]) {
      const binding = producer === -1 ? this.#env.get(name) : this.results[producer];
      if (binding !== undefined) vars.set(name, binding);
    }
    return vars;
  }

  /** Record how op `index` ended, report it, and free the ops waiting only for it. */
  #settle(index: number, outcome: PureOutcome): void {
    const op = this.#ops[index];
    if (!outcome.ok) {
      this.#schedule.failed(index);
      const error = outcome.error.message;
      this.#options.onOp?.({ index, op, phase: "end", ms: outcome.ms, error });
      return this.#fail(index, outcome.error);
    }
    this.results[index] = lazilyHashed(outcome.value);
    this.#options.onOp?.({
      index,
      op,
      phase: "end",
      cached: outcome.cached,
      ms: outcome.ms,
      kind: typeof outcome.value === "string" ? "text" : "list",
      size: outcome.value.length,
      value: outcome.value,
    });
    this.#schedule.succeeded(index);
  }

  /** The first failure ends the plan: it is kept, prefixed with its op, and cancels the rest. */
  #fail(index: number, error: unknown): void {
    if (this.#failure !== undefined) return;
    const where = `operation ${index + 1} (${this.#ops[index].op})`;
    const reason = error instanceof Error ? error.message : String(error);
    // Bad input stays an OpError (exit 2, or a message for the model); a broken executor or
    // sandbox stays a plain failure (exit 1).
    this.#failure = error instanceof OpError
      ? new OpError(where, undefined, reason, { cause: error })
      : new Error(`${where}: ${reason}`, { cause: error });
    this.#controller.abort(this.#failure);
  }

  /** Count `work` in flight; when it settles, launch what became ready, or end the run. */
  #track(work: Promise<void>, index: number): void {
    this.#inFlight++;
    work
      .catch((error) => this.#fail(index, error))
      .finally(() => {
        this.#inFlight--;
        this.#launch();
        if (this.#inFlight === 0) this.#done.resolve();
      });
  }
}

async function runSubCallOp(
  op: Operation,
  vars: Map<string, Binding>,
  ports: OpPorts,
): Promise<PureOutcome> {
  const start = performance.now();
  try {
    const value = await runOp(op, vars, ports);
    return { ok: true, value, cached: false, ms: performance.now() - start };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: e, ms: performance.now() - start };
  }
}

function outputOf(
  plan: Plan,
  results: (Binding | undefined)[],
  env: Map<string, Binding>,
): PlanResult {
  const ops = plan.operations;
  const name = plan.output ?? ops[ops.length - 1].bind;
  if (name === undefined) {
    return { output: "_", binding: results[results.length - 1] as Binding };
  }
  const binding = env.get(name);
  if (binding === undefined) {
    throw new OpError(
      "plan",
      "output",
      `variable "${name}" is not bound by the plan or defined before it`,
    );
  }
  return { output: name, binding };
}

/** A result's binding; its hash is computed when first read (a cache key, a trace), not before. */
function lazilyHashed(value: Value): Binding {
  let hash: string | undefined;
  return {
    value,
    get hash() {
      return (hash ??= hashValue(value));
    },
  };
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("The plan was cancelled");
}
