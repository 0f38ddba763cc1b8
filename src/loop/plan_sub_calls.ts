/**
 * Sub-calls for a plan run without a root model (`rlm exec` of a plan with `map`, `rlm_call`
 * or a prompt `combine`): the same gateway, cache, budgets and depth rules as `rlm run`.
 *
 * @module
 */
import type { ResultStore } from "../cache/store.ts";
import type { Executor } from "../exec/executor.ts";
import { createOpenAIModel } from "../llm/openai_model.ts";
import type { ModelPort } from "../llm/port.ts";
import { loadPricing } from "../llm/pricing.ts";
import { resolveEndpoint } from "../llm/providers.ts";
import type { SandboxPort, SubCallPort } from "../protocol/ports.ts";
import type { CallRecord } from "../protocol/trace.ts";
import { Budget, type BudgetLimits } from "./budget.ts";
import { Gateway } from "./gateway.ts";
import { createSubCallPort } from "./run_rlm.ts";

/** What plan sub-calls need. */
export interface PlanSubCallOptions extends BudgetLimits {
  /** The model sub-calls use. */
  model: string;
  baseUrl?: string;
  modelPort?: ModelPort;
  /** 1: direct calls; 2+: sub-calls speak the protocol with one level less. */
  maxDepth: number;
  maxParallel: number;
  maxChildChars: number;
  store?: ResultStore;
  executor: Executor;
  sandbox?: SandboxPort;
}

/** A sub-call port for a plan, with the budget that bounds it. Dispose the budget when done. */
export async function planSubCalls(
  options: PlanSubCallOptions,
): Promise<{ port: SubCallPort; budget: Budget; record: CallRecord }> {
  // A missing key or a bad endpoint fails before anything runs.
  if (options.modelPort === undefined) resolveEndpoint(options.model, { baseUrl: options.baseUrl });
  const budget = new Budget(options);
  const gateway = new Gateway({
    model: options.modelPort ??
      createOpenAIModel({ baseUrl: options.baseUrl, pricing: await loadPricing() }),
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
    maxExplore: 20,
    maxCommits: 5,
    maxBadReplies: 3,
    maxChildChars: options.maxChildChars,
    nextId: () => id++,
    depth: options.maxDepth,
  });
  return { port, budget, record };
}
