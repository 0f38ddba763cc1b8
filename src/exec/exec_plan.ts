/**
 * `execPlan`: the library face of `rlm exec` — run a DSL plan on contexts, no root model.
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import type { OpPorts } from "../ops/types.ts";
import type { Binding, Value } from "../protocol/value.ts";
import type { Executor } from "./executor.ts";
import { createLocalExecutor } from "./local/local_executor.ts";
import { parsePlan, type Plan } from "./parse_plan.ts";
import { type OpEvent, runPlan } from "./run_plan.ts";

/** Options of `execPlan`. */
export interface ExecPlanOptions {
  /** Where pure ops run; default: the local executor with no cache. */
  executor?: Executor;
  /** Effects: `subCall` for `rlm_call`/`map`/prompt `combine`, `sandbox` for `eval` (none by default). */
  ports?: OpPorts;
  /** Cancels the plan. */
  signal?: AbortSignal;
  /** Progress of each op. */
  onOp?: (event: OpEvent) => void;
}

/** The output of a plan. */
export interface ExecPlanResult {
  /** The name of the output variable. */
  output: string;
  /** Its value: text, or a list of texts. */
  value: Value;
  /** Every variable after the plan ran (the contexts and every bind). */
  variables: Map<string, Binding>;
}

/**
 * Run `plan` (a plan object as in a PLAN.json file, or an already parsed `Plan`) on `context`:
 * one text bound as `context`, or named texts bound under their names.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { execPlan } from "../../mod.ts";
 * const { value } = await execPlan(
 *   { operations: [{ op: "grep", args: { input: "context", pattern: "ERROR" }, bind: "e" },
 *                  { op: "count", args: { input: "e" } }] },
 *   "ok\nERROR one\nERROR two\n",
 * );
 * assertEquals(value, "2");
 * ```
 */
export async function execPlan(
  plan: unknown,
  context: string | Record<string, Value>,
  options: ExecPlanOptions = {},
): Promise<ExecPlanResult> {
  const parsed: Plan = parsePlan(plan);
  const named = typeof context === "string" ? { context } : context;
  const variables = new Map<string, Binding>(
    Object.entries(named).map(([name, value]) => [name, { value, hash: hashValue(value) }]),
  );
  const { output, binding } = await runPlan(parsed, variables, {
    executor: options.executor ?? createLocalExecutor({}),
    ports: options.ports,
    signal: options.signal,
    onOp: options.onOp,
  });
  return { output, value: binding.value, variables };
}
