/**
 * Sub-calls for a plan run without a root model (`rlm exec` of a plan with `map`, `rlm_call`
 * or a prompt `combine`): the same gateway, cache, budgets and depth rules as `rlm run`.
 *
 * @module
 */
import type { ResultStore } from "../cache/store.ts";
import type { Executor } from "../exec/executor.ts";
import type { ModelPort } from "../llm/port.ts";
import type { SandboxPort, SubCallPort } from "../protocol/ports.ts";
import type { CallRecord } from "../protocol/trace.ts";
import { Budget, type BudgetLimits } from "./budget.ts";
import { DEFAULTS } from "./defaults.ts";
import { Gateway } from "./gateway.ts";
import { createSubCallPort } from "./run_rlm.ts";

/** What plan sub-calls need. */
export interface PlanSubCallOptions extends BudgetLimits {
  /** The model sub-calls use. */
  model: string;
  /** `--base-url`, part of the model-call cache key. */
  baseUrl?: string;
  /** The model port (`defaultPorts()`), with the model's key already checked. */
  modelPort: ModelPort;
  /** 1: direct calls; 2+: sub-calls speak the protocol with one level less. */
  maxDepth: number;
  maxParallel: number;
  maxChildChars: number;
  store?: ResultStore;
  executor: Executor;
  sandbox?: SandboxPort;
}

/** A sub-call port for a plan, with the budget that bounds it. Dispose the budget when done. */
export function planSubCalls(
  options: PlanSubCallOptions,
): { port: SubCallPort; budget: Budget; record: CallRecord } {
  const budget = new Budget(options);
  const gateway = new Gateway({
    model: options.modelPort,
    store: options.store,
    baseUrl: options.baseUrl,
    budget,
    maxParallel: options.maxParallel,
  });
  let id = 0;
  const record: CallRecord = {
    id: id++,
    kind: "root",
    depth: 0,
    model: options.model,
    query: "(plan)",
    context_chars: 0,
    started_ms: 0,
    steps: [],
    model_calls: [],
    children: [],
  };
  const port = createSubCallPort(record, {
    gateway,
    budget,
    executor: options.executor,
    sandbox: options.sandbox,
    model: options.model,
    childModel: options.model,
    maxExplore: DEFAULTS.maxExplore,
    maxCommits: DEFAULTS.maxCommits,
    maxBadReplies: DEFAULTS.maxBadReplies,
    maxChildChars: options.maxChildChars,
    nextId: () => id++,
    depth: options.maxDepth,
  });
  return { port, budget, record };
}
