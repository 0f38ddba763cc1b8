/**
 * What a run of a plan hands an executor's graph runner (`Executor.graph`, the Nix executor's
 * one round of Nix per graph; docs/explanation/nix-executor.md): the ready ops the runner
 * accepts, and with them every op it accepts whose unsettled producers are all in the graph.
 *
 * @module
 */
import { isSubCall } from "../ops/is_sub_call.ts";
import type { Operation } from "../ops/operation.ts";
import type { Binding } from "../protocol/value.ts";
import type { GraphRunner, GraphTask } from "./executor.ts";
import type { PlanGraph } from "./_plan_graph.ts";
import type { PlanSchedule } from "./_plan_schedule.ts";

/**
 * The ops of `ready` that `runner` takes, and every op it takes whose unsettled producers are all
 * among them, in plan order (so producers come first). Each op is looked at once per reader
 * link, so collecting is linear in the graph's size.
 */
export function graphNodes(
  ready: readonly number[],
  ops: readonly Operation[],
  graph: PlanGraph,
  schedule: PlanSchedule,
  runner: GraphRunner,
): number[] {
  const takes = (i: number) =>
    !schedule.isStarted(i) && !isSubCall(ops[i]) && runner.accepts(ops[i]);
  const members = ready.filter(takes);
  const missing = new Map<number, number>();
  for (let k = 0; k < members.length; k++) {
    for (const reader of graph.readers[members[k]]) {
      if (!takes(reader)) continue;
      const left = (missing.get(reader) ?? schedule.waitingFor(reader)) - 1;
      missing.set(reader, left);
      if (left === 0) members.push(reader);
    }
  }
  return members.sort((a, b) => a - b);
}

/**
 * The tasks of `nodes` (from `graphNodes`): each op with the bindings known now (`inputsOf`) and,
 * for each variable another node produces, that node's position in `nodes`.
 */
export function graphTasks(
  nodes: readonly number[],
  ops: readonly Operation[],
  graph: PlanGraph,
  inputsOf: (index: number) => Map<string, Binding>,
): GraphTask[] {
  const position = new Map(nodes.map((i, k) => [i, k]));
  return nodes.map((i) => ({
    op: ops[i],
    vars: inputsOf(i),
    upstream: new Map(
      [...graph.deps[i]].filter(([, p]) => position.has(p)).map(([name, p]) => [
        name,
        position.get(p) as number,
      ]),
    ),
  }));
}
