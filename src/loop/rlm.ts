/**
 * `rlm()`: answer a question about a context, as the library's one call.
 *
 * @module
 */
import type { OpEvent } from "../exec/run_plan.ts";
import type { ChatResponse } from "../llm/port.ts";
import type { CallRecord, StepRecord, Trace } from "../protocol/trace.ts";
import type { Binding, Value } from "../protocol/value.ts";
import type { RlmPorts } from "./default_ports.ts";
import { settleRlm } from "./settle_rlm.ts";
import type { TraceSummary } from "./trace_summary.ts";

/**
 * Everything `rlm` takes; every field but `query` and `context` has a default (docs/reference/cli.md
 * names the same settings as flags). The ports (`modelPort`, `executor`, `store`, `sandbox`) a
 * caller leaves out come from `defaultPorts()`: the OpenAI-compatible model port, the local
 * executor, no cache and no `eval`.
 */
export interface RlmOptions extends RlmPorts {
  query: string;
  /** One text (bound as `context`), or named variables (e.g. `context`, `file_0`...). */
  context: string | Record<string, Value> | Map<string, Binding>;
  /**
   * Root model.
   * @default {"gpt-5-mini"}
   */
  model?: string;
  /**
   * Model for sub-calls.
   * @default {the root model}
   */
  childModel?: string;
  /**
   * OpenAI-compatible endpoint for every model; it gets only `OPENAI_API_KEY`. Default: each
   * model's provider endpoint (docs/how-to/models.md).
   */
  baseUrl?: string;
  /**
   * Sub-call depth (docs/reference/protocol.md): 0 none, 1 direct calls, 2+ recursive.
   * @default {1}
   */
  maxDepth?: number;
  /**
   * Explore steps per call. A call makes at most `maxExplore + maxCommits + 4` model requests
   * (docs/how-to/budgets.md).
   * @default {20}
   */
  maxExplore?: number;
  /**
   * Commits per call.
   * @default {5}
   */
  maxCommits?: number;
  /**
   * Model calls in flight across the tree.
   * @default {8}
   */
  maxParallel?: number;
  /**
   * Largest context of a direct sub-call, in characters.
   * @default {400000}
   */
  maxChildChars?: number;
  /** Stop when the run has cost this much (USD); default unlimited. */
  maxCostUsd?: number;
  /** Stop after this many model calls; default unlimited. */
  maxLlmCalls?: number;
  /** Stop after this long (ms); default unlimited. */
  timeoutMs?: number;
  temperature?: number;
  /** Aborting it interrupts the run (status `interrupted`). */
  signal?: AbortSignal;
  /** Progress callbacks. */
  onModelCall?: (call: CallRecord, response: ChatResponse) => void;
  onStep?: (call: CallRecord, step: StepRecord) => void;
  onOp?: (call: CallRecord, event: OpEvent) => void;
  /** Told before each retry of a model call (used only when `modelPort` is left out). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** The answer and what it took. */
export interface RlmResult extends TraceSummary {
  answer: string;
  trace: Trace;
}

/**
 * Answer `query` about `context`. Throws what ended the run: `BudgetExceededError` (with the
 * best partial answer as `partial`) when a budget runs out, `InfrastructureError` when the
 * machinery fails. `settleRlm()` is the same run returning the trace of a failed run too.
 *
 * @example
 * ```ts ignore
 * import { rlm } from "./mod.ts";
 * const log = await Deno.readTextFile("server.log");
 * const { answer, cost_usd } = await rlm({ query: "How many requests timed out?", context: log });
 * ```
 */
export async function rlm(options: RlmOptions): Promise<RlmResult> {
  const outcome = await settleRlm(options);
  if (outcome.status === "answered") return outcome.result;
  throw outcome.error;
}
