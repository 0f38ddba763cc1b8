/**
 * `rlm()`: answer a question about a context, as the library's one call.
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import type { ResultStore } from "../cache/store.ts";
import type { Executor } from "../exec/executor.ts";
import { createLocalExecutor } from "../exec/local/local_executor.ts";
import type { OpEvent } from "../exec/run_plan.ts";
import { createOpenAIModel } from "../llm/openai_model.ts";
import type { ChatResponse, ModelPort } from "../llm/port.ts";
import { loadPricing } from "../llm/pricing.ts";
import { resolveEndpoint } from "../llm/providers.ts";
import type { SandboxPort } from "../protocol/ports.ts";
import { BudgetExceededError } from "../protocol/errors.ts";
import { bindingStats } from "./preview.ts";
import { type CallRecord, type StepRecord, type Trace, TRACE_VERSION } from "../protocol/trace.ts";
import type { Binding, Value } from "../protocol/value.ts";
import { VERSION } from "../version.ts";
import { Budget } from "./budget.ts";
import { Gateway } from "./gateway.ts";
import { runRlm } from "./run_rlm.ts";

/** Everything `rlm` takes; every field but `query` and `context` has a default. */
export interface RlmOptions {
  query: string;
  /** One text (bound as `context`), or named variables (e.g. `context`, `file_0`...). */
  context: string | Record<string, Value> | Map<string, Binding>;
  /** Root model; default `gpt-5-mini`. */
  model?: string;
  /** Model for sub-calls; default the root model. */
  childModel?: string;
  /**
   * OpenAI-compatible endpoint for every model; it gets only `OPENAI_API_KEY`. Default: each
   * model's provider endpoint (docs/how-to/models.md).
   */
  baseUrl?: string;
  /** A model port to use instead of the OpenAI client (tests, other providers). */
  modelPort?: ModelPort;
  /** Sub-call depth (docs/reference/protocol.md); default 1. */
  maxDepth?: number;
  /**
   * Explore steps per call; default 20. A call makes at most `maxExplore + maxCommits + 4` model
   * requests (docs/how-to/budgets.md).
   */
  maxExplore?: number;
  /** Commits per call; default 5. */
  maxCommits?: number;
  /** Model calls in flight across the tree; default 8. */
  maxParallel?: number;
  /** Largest context of a direct sub-call, in characters; default 400 000. */
  maxChildChars?: number;
  maxCostUsd?: number;
  maxLlmCalls?: number;
  timeoutMs?: number;
  /** Where pure ops run; default the local executor with `store`. */
  executor?: Executor;
  /** The cache for op results and model calls; none means no caching. */
  store?: ResultStore;
  /** The Python sandbox for `eval`; none means `eval` is not offered. */
  sandbox?: SandboxPort;
  temperature?: number;
  signal?: AbortSignal;
  /** Progress callbacks. */
  onModelCall?: (call: CallRecord, response: ChatResponse) => void;
  onStep?: (call: CallRecord, step: StepRecord) => void;
  onOp?: (call: CallRecord, event: OpEvent) => void;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** The answer and what it took. */
export interface RlmResult {
  answer: string;
  usage: { prompt_tokens: number; completion_tokens: number };
  /** USD, or `null` when some model's price is unknown. */
  cost_usd: number | null;
  llm_calls: number;
  cache_hits: number;
  duration_ms: number;
  trace: Trace;
}

/**
 * Answer `query` about `context`. Throws `BudgetExceededError` (with the best partial answer)
 * when a budget runs out; the trace so far is on the error as `trace`.
 *
 * @example
 * ```ts
 * import { rlm } from "./mod.ts";
 * const { answer, cost_usd } = await rlm({ query: "How many requests timed out?", context: log });
 * ```
 */
export async function rlm(options: RlmOptions): Promise<RlmResult> {
  const model = options.model ?? "gpt-5-mini";
  const budget = new Budget({
    maxCostUsd: options.maxCostUsd,
    maxLlmCalls: options.maxLlmCalls,
    timeoutMs: options.timeoutMs,
  });
  if (options.modelPort === undefined) {
    // A missing key or a bad endpoint fails before anything runs.
    resolveEndpoint(model, { baseUrl: options.baseUrl });
    if (options.childModel) resolveEndpoint(options.childModel, { baseUrl: options.baseUrl });
  }
  const port = options.modelPort ??
    createOpenAIModel({
      baseUrl: options.baseUrl,
      pricing: await loadPricing(),
      onRetry: options.onRetry,
    });
  const gateway = new Gateway({
    model: port,
    store: options.store,
    baseUrl: options.baseUrl,
    budget,
    maxParallel: options.maxParallel ?? 8,
    onCall: options.onModelCall,
  });
  const env = toEnv(options.context);
  let id = 0;
  const root: CallRecord = {
    id: id++,
    kind: "root",
    depth: 0,
    model,
    query: options.query,
    context_chars: [...env.values()].reduce((n, b) => n + bindingStats(b).chars, 0),
    started_ms: 0,
    steps: [],
    model_calls: [],
    children: [],
  };
  const startedAt = new Date().toISOString();
  const trace = (status: Trace["status"], extra: { answer?: string; error?: string }): Trace => ({
    version: TRACE_VERSION,
    rlm_version: VERSION,
    started_at: startedAt,
    duration_ms: Math.round(performance.now() - budget.startedMs),
    status,
    ...extra,
    options: {
      model,
      child_model: options.childModel ?? model,
      max_depth: options.maxDepth ?? 1,
      max_explore: options.maxExplore ?? 20,
      max_commits: options.maxCommits ?? 5,
      max_parallel: options.maxParallel ?? 8,
      max_cost_usd: options.maxCostUsd,
      max_llm_calls: options.maxLlmCalls,
      timeout_ms: options.timeoutMs,
      executor: options.executor?.name ?? "local",
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
    root,
  });
  try {
    const answer = await runRlm(options.query, env, root, {
      gateway,
      budget,
      executor: options.executor ??
        createLocalExecutor({ store: options.store, ports: { sandbox: options.sandbox } }),
      sandbox: options.sandbox,
      model,
      childModel: options.childModel ?? model,
      maxExplore: options.maxExplore ?? 20,
      maxCommits: options.maxCommits ?? 5,
      maxBadReplies: 3,
      maxChildChars: options.maxChildChars ?? 400_000,
      temperature: options.temperature,
      onStep: options.onStep,
      onOp: options.onOp,
      nextId: () => id++,
      depth: options.maxDepth ?? 1,
      signal: options.signal,
    });
    root.answer = answer;
    root.ended_ms = Math.round(performance.now() - budget.startedMs);
    const t = trace("answered", { answer });
    return {
      answer,
      usage: { prompt_tokens: budget.promptTokens, completion_tokens: budget.completionTokens },
      cost_usd: t.totals.cost_usd,
      llm_calls: budget.calls,
      cache_hits: budget.cacheHits,
      duration_ms: t.duration_ms,
      trace: t,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    root.error = message;
    root.ended_ms = Math.round(performance.now() - budget.startedMs);
    const status = error instanceof BudgetExceededError
      ? "budget_exceeded"
      : options.signal?.aborted
      ? "interrupted"
      : "failed";
    const partial = error instanceof BudgetExceededError ? error.partial : undefined;
    Object.assign(error as object, { trace: trace(status, { error: message, answer: partial }) });
    throw error;
  } finally {
    budget.dispose();
  }
}

function toEnv(context: RlmOptions["context"]): Map<string, Binding> {
  if (context instanceof Map) return context;
  const named = typeof context === "string" ? { context } : context;
  return new Map(Object.entries(named).map(([k, v]) => [k, { value: v, hash: hashValue(v) }]));
}
