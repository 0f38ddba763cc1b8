/**
 * `settleRlm()`: one run of `rlm()` that returns how it ended, with the trace, instead of
 * throwing (the command line writes the trace of a failed run and prints its partial answer).
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import { BudgetExceededError } from "../protocol/errors.ts";
import { type CallRecord, type Trace, TRACE_VERSION } from "../protocol/trace.ts";
import type { Binding } from "../protocol/value.ts";
import { VERSION } from "../version.ts";
import { Budget } from "./budget.ts";
import { defaultPorts, type Ports } from "./default_ports.ts";
import { DEFAULTS } from "./defaults.ts";
import { Gateway } from "./gateway.ts";
import { bindingStats } from "./preview.ts";
import type { RlmOptions, RlmResult } from "./rlm.ts";
import { runRlm } from "./run_rlm.ts";
import { traceSummary } from "./trace_summary.ts";

/** How a run ended: its result, or the error that ended it with the trace so far. */
export type RlmOutcome =
  | { status: "answered"; result: RlmResult }
  | {
    status: "budget_exceeded" | "interrupted" | "failed";
    /** What ended the run (`BudgetExceededError`, `InfrastructureError`, ...). */
    error: unknown;
    /** The trace so far (`status` and `error` set). */
    trace: Trace;
    /** The best partial answer, when a budget ran out and the root gave one. */
    partial?: string;
  };

/**
 * Run `rlm()` and settle: a run that fails resolves to its error and trace. What fails before
 * the run starts (a missing API key, a bad pricing file) still rejects.
 *
 * @example
 * ```ts ignore
 * import { settleRlm } from "./mod.ts";
 * const outcome = await settleRlm({ query: "How many requests timed out?", context: log });
 * if (outcome.status !== "answered") console.error(outcome.trace.error);
 * ```
 */
export async function settleRlm(options: RlmOptions): Promise<RlmOutcome> {
  const model = options.model ?? DEFAULTS.model;
  const childModel = options.childModel ?? model;
  const built = await missingPorts(options, [...new Set([model, childModel])]);
  const executor = options.executor ?? built!.executor;
  const budget = new Budget({
    maxCostUsd: options.maxCostUsd,
    maxLlmCalls: options.maxLlmCalls,
    timeoutMs: options.timeoutMs,
  });
  const gateway = new Gateway({
    model: options.modelPort ?? built!.modelPort!,
    store: options.store,
    baseUrl: options.baseUrl,
    budget,
    maxParallel: options.maxParallel ?? DEFAULTS.maxParallel,
    onCall: options.onModelCall,
  });
  const env = toEnv(options.context);
  let id = 0;
  const root = rootRecord(id++, model, options.query, env);
  const trace = traceOf(options, { model, childModel, executor: executor.name, budget, root });
  const ended = () => root.ended_ms = Math.round(performance.now() - budget.startedMs);
  try {
    const answer = await runRlm(options.query, env, root, {
      ...loopSettings(options),
      gateway,
      budget,
      executor,
      model,
      childModel,
      nextId: () => id++,
    });
    root.answer = answer;
    ended();
    return { status: "answered", result: resultOf(answer, trace("answered", { answer })) };
  } catch (error) {
    root.error = error instanceof Error ? error.message : String(error);
    ended();
    const status = error instanceof BudgetExceededError
      ? "budget_exceeded"
      : options.signal?.aborted
      ? "interrupted"
      : "failed";
    const partial = error instanceof BudgetExceededError ? error.partial : undefined;
    return { status, error, trace: trace(status, { error: root.error, answer: partial }), partial };
  } finally {
    budget.dispose();
  }
}

/** The ports the caller left out, from `defaultPorts()`; `undefined` when none is missing. */
function missingPorts(options: RlmOptions, models: string[]): Promise<Ports | undefined> {
  if (options.modelPort && options.executor) return Promise.resolve(undefined);
  return defaultPorts({
    models: options.modelPort ? [] : models,
    baseUrl: options.baseUrl,
    onRetry: options.onRetry,
    store: options.store,
    sandbox: options.sandbox,
  });
}

/** The loop's settings that come straight from the options, with their defaults. */
function loopSettings(options: RlmOptions) {
  return {
    sandbox: options.sandbox,
    maxExplore: options.maxExplore ?? DEFAULTS.maxExplore,
    maxCommits: options.maxCommits ?? DEFAULTS.maxCommits,
    maxBadReplies: DEFAULTS.maxBadReplies,
    maxChildChars: options.maxChildChars ?? DEFAULTS.maxChildChars,
    temperature: options.temperature,
    onStep: options.onStep,
    onOp: options.onOp,
    depth: options.maxDepth ?? DEFAULTS.maxDepth,
    signal: options.signal,
  };
}

function rootRecord(
  id: number,
  model: string,
  query: string,
  env: Map<string, Binding>,
): CallRecord {
  return {
    id,
    kind: "root",
    depth: 0,
    model,
    query,
    context_chars: [...env.values()].reduce((n, b) => n + bindingStats(b).chars, 0),
    started_ms: 0,
    steps: [],
    model_calls: [],
    children: [],
  };
}

/** The trace of the run so far, for a status. */
function traceOf(
  options: RlmOptions,
  run: { model: string; childModel: string; executor: string; budget: Budget; root: CallRecord },
) {
  const startedAt = new Date().toISOString();
  const { budget } = run;
  return (status: Trace["status"], extra: { answer?: string; error?: string }): Trace => ({
    version: TRACE_VERSION,
    rlm_version: VERSION,
    started_at: startedAt,
    duration_ms: Math.round(performance.now() - budget.startedMs),
    status,
    ...extra,
    options: {
      model: run.model,
      child_model: run.childModel,
      max_depth: options.maxDepth ?? DEFAULTS.maxDepth,
      max_explore: options.maxExplore ?? DEFAULTS.maxExplore,
      max_commits: options.maxCommits ?? DEFAULTS.maxCommits,
      max_parallel: options.maxParallel ?? DEFAULTS.maxParallel,
      max_cost_usd: options.maxCostUsd,
      max_llm_calls: options.maxLlmCalls,
      timeout_ms: options.timeoutMs,
      executor: run.executor,
      cache: options.store !== undefined,
      eval: options.sandbox !== undefined,
    },
    totals: {
      llm_calls: budget.calls,
      cache_hits: budget.cacheHits,
      prompt_tokens: budget.promptTokens,
      completion_tokens: budget.completionTokens,
      cost_usd: budget.costUnknown ? null : budget.costUsd,
    },
    root: run.root,
  });
}

function resultOf(answer: string, trace: Trace): RlmResult {
  return { answer, ...traceSummary(trace), trace };
}

function toEnv(context: RlmOptions["context"]): Map<string, Binding> {
  if (context instanceof Map) return context;
  const named = typeof context === "string" ? { context } : context;
  return new Map(Object.entries(named).map(([k, v]) => [k, { value: v, hash: hashValue(v) }]));
}
