/**
 * `traceSummary()`: what a run took, from its trace, in the shape `rlm()` returns it and
 * `rlm run --json` prints it (docs/reference/cli.md).
 *
 * @module
 */
import type { Trace } from "../protocol/trace.ts";

/** Tokens, cost, calls, cache hits and duration of a run. */
export interface TraceSummary {
  usage: { prompt_tokens: number; completion_tokens: number };
  /** USD, or `null` when some model's price is unknown. */
  cost_usd: number | null;
  llm_calls: number;
  cache_hits: number;
  duration_ms: number;
}

/** The summary of `trace`'s totals. */
export function traceSummary(trace: Trace): TraceSummary {
  return {
    usage: {
      prompt_tokens: trace.totals.prompt_tokens,
      completion_tokens: trace.totals.completion_tokens,
    },
    cost_usd: trace.totals.cost_usd,
    llm_calls: trace.totals.llm_calls,
    cache_hits: trace.totals.cache_hits,
    duration_ms: trace.duration_ms,
  };
}
