/**
 * Run a plan as a DAG (SPEC §3.2 commit, §4): independent operations run concurrently, pure ones
 * on the executor in batches (or, with a graph runner, as graphs of chained ops), sub-calls
 * through the ports; every bind persists in `env`.
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import { OpError } from "../ops/op_error.ts";
import { referencedVars } from "../ops/parse_operation.ts";
import { OPS } from "../ops/registry.ts";
import type { OpImpl, OpPorts } from "../ops/types.ts";
import { createVars } from "../ops/vars.ts";
import { isSubCall, type Operation } from "../protocol/ops.ts";
import type { Binding, Value } from "../protocol/value.ts";
import type { Executor, GraphRunner, GraphTask, PureOutcome, PureTask } from "./executor.ts";
import type { Plan } from "./parse_plan.ts";

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
 * same prefix. Binds of the operations that succeeded persist.
 *
 * @example
 * ```ts
 * const env = new Map([["context", { value: log, hash: hashValue(log) }]]);
 * const plan = parsePlan({ operations: [{ op: "count", args: { input: "context" }, bind: "n" }] });
 * const { binding } = await runPlan(plan, env, { executor: createLocalExecutor({}) });
 * ```
 */
export async function runPlan(
  plan: Plan,
  env: Map<string, Binding>,
  options: RunPlanOptions,
): Promise<PlanResult> {
  const ops = plan.operations;
  const deps = resolveDependencies(ops, env);
  const results: (Binding | undefined)[] = ops.map(() => undefined);
  const started = new Set<number>();
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  const ports: OpPorts = { ...options.ports, signal };
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const failedOps = new Set<number>();

  const fail = (index: number, error: unknown) => {
    if (failure !== undefined) return;
    const where = `operation ${index + 1} (${ops[index].op})`;
    const reason = error instanceof Error ? error.message : String(error);
    // Bad input stays an OpError (exit 2, or a message for the model); a broken executor or
    // sandbox stays a plain failure (exit 1).
    failure = error instanceof OpError
      ? new OpError(where, undefined, reason, { cause: error })
      : new Error(`${where}: ${reason}`, { cause: error });
    controller.abort(failure);
  };
  const inputsOf = (index: number): Map<string, Binding> => {
    const vars = new Map<string, Binding>();
    for (const [name, producer] of deps[index]) {
      const binding = producer === -1 ? env.get(name) : results[producer];
      if (binding !== undefined) vars.set(name, binding);
    }
    return vars;
  };
  const finish = (index: number, outcome: PureOutcome) => {
    if (!outcome.ok) {
      failedOps.add(index);
      options.onOp?.({
        index,
        op: ops[index],
        phase: "end",
        ms: outcome.ms,
        error: outcome.error.message,
      });
      fail(index, outcome.error);
      return;
    }
    const binding = { value: outcome.value, hash: hashValue(outcome.value) };
    results[index] = binding;
    options.onOp?.({
      index,
      op: ops[index],
      phase: "end",
      cached: outcome.cached,
      ms: outcome.ms,
      kind: typeof outcome.value === "string" ? "text" : "list",
      size: outcome.value.length,
      value: outcome.value,
    });
  };

  const known = (p: number) => p === -1 || results[p] !== undefined;
  const launch = () => {
    if (failure !== undefined || signal.aborted) return;
    const ready: number[] = [];
    for (let i = 0; i < ops.length; i++) {
      if (!started.has(i) && [...deps[i].values()].every(known)) ready.push(i);
    }
    const nodes = graphNodes();
    const inGraph = new Set(nodes);
    const pure = ready.filter((i) => !isSubCall(ops[i]) && !inGraph.has(i));
    for (const i of [...new Set([...ready, ...nodes])].sort((a, b) => a - b)) {
      started.add(i);
      options.onOp?.({ index: i, op: ops[i], phase: "start" });
    }
    if (nodes.length > 0) launchGraph(nodes);
    if (pure.length > 0) {
      const tasks: PureTask[] = pure.map((i) => ({ op: ops[i], vars: inputsOf(i) }));
      track(
        options.executor.run(tasks, { signal }).then((outcomes) =>
          outcomes.forEach((o, k) => finish(pure[k], o))
        ),
        pure[0],
      );
    }
    for (const i of ready.filter((i) => isSubCall(ops[i]))) {
      track(runSubCallOp(ops[i], inputsOf(i), ports).then((o) => finish(i, o)), i);
    }
  };
  // The pure ops the executor's graph runner takes that are ready, or whose inputs are ready or
  // produced by another op of the graph (in plan order, so producers come first).
  const graphNodes = (): number[] => {
    const graph = options.executor.graph;
    const nodes: number[] = [];
    if (graph === undefined) return nodes;
    const members = new Set<number>();
    for (let i = 0; i < ops.length; i++) {
      if (started.has(i) || isSubCall(ops[i]) || !graph.accepts(ops[i])) continue;
      if ([...deps[i].values()].every((p) => known(p) || members.has(p))) {
        members.add(i);
        nodes.push(i);
      }
    }
    return nodes;
  };
  const launchGraph = (nodes: number[]) => {
    const position = new Map(nodes.map((i, k) => [i, k]));
    const tasks: GraphTask[] = nodes.map((i) => ({
      op: ops[i],
      vars: inputsOf(i),
      upstream: new Map(
        [...deps[i]].filter(([, p]) => position.has(p)).map(([name, p]) => [
          name,
          position.get(p) as number,
        ]),
      ),
    }));
    const run = (options.executor.graph as GraphRunner).run(tasks, { signal });
    track(
      run.then((outcomes) => {
        // An op whose input's op failed did not run: the plan fails at the first failing op.
        outcomes.forEach((o, k) => {
          const i = nodes[k];
          const cause = [...deps[i].values()].find((p) => failedOps.has(p));
          if (cause === undefined) return finish(i, o);
          finish(i, {
            ok: false,
            error: new Error(`not run: operation ${cause + 1} (${ops[cause].op}) failed`),
            ms: o.ms,
          });
        });
      }),
      nodes[0],
    );
  };
  const track = (work: Promise<void>, index: number) => {
    const p: Promise<void> = work
      .catch((error) => fail(index, error))
      .finally(() => {
        inFlight.delete(p);
        launch();
      });
    inFlight.add(p);
  };

  launch();
  while (inFlight.size > 0) await Promise.race(inFlight);
  for (let i = 0; i < ops.length; i++) {
    const bind = ops[i].bind;
    const binding = results[i];
    if (bind !== undefined && binding !== undefined) env.set(bind, binding);
  }
  if (failure !== undefined) throw failure;
  if (options.signal?.aborted) throw abortError(options.signal);
  return outputOf(plan, results, env);
}

/** For each op, the variables it reads and which earlier op produces each (-1: `env`). */
function resolveDependencies(ops: Operation[], env: Map<string, Binding>): Map<string, number>[] {
  const producer = new Map<string, number>();
  for (const name of env.keys()) producer.set(name, -1);
  return ops.map((op, i) => {
    const deps = new Map<string, number>();
    for (const name of referencedVars(op, [...producer.keys()])) {
      const p = producer.get(name);
      if (p === undefined) {
        const known = [...producer.keys()];
        throw new OpError(
          `operation ${i + 1} (${op.op})`,
          undefined,
          `variable "${name}" is not defined (defined: ${
            known.length ? known.join(", ") : "none"
          })`,
        );
      }
      deps.set(name, p);
    }
    if (op.bind !== undefined) producer.set(op.bind, i);
    return deps;
  });
}

async function runSubCallOp(
  op: Operation,
  vars: Map<string, Binding>,
  ports: OpPorts,
): Promise<PureOutcome> {
  const start = performance.now();
  const impl = OPS[op.op] as OpImpl<typeof op.op>;
  try {
    const value = await impl(op.args as never, createVars(vars, op.op), ports);
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

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("The plan was cancelled");
}
