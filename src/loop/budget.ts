/**
 * Run budgets over the whole call tree (docs/how-to/budgets.md): cost, number of model calls, wall time.
 *
 * @module
 */
import { BudgetExceededError } from "../protocol/errors.ts";
import type { ChatResponse } from "../llm/port.ts";
import { type LongTimeout, setLongTimeout } from "./long_timeout.ts";

/**
 * The deadline of the one request for a best answer made after a budget ran out: a tenth of
 * `--timeout`, at least 2 s and at most 30 s (30 s without `--timeout`).
 */
export function bestAnswerGraceMs(timeoutMs?: number): number {
  return timeoutMs === undefined ? 30_000 : Math.min(30_000, Math.max(2_000, timeoutMs / 10));
}

/** Limits of one run; absent means unlimited. */
export interface BudgetLimits {
  maxCostUsd?: number;
  maxLlmCalls?: number;
  timeoutMs?: number;
}

/** Spending so far, and the check before every model call. */
export class Budget {
  readonly limits: BudgetLimits;
  /** Aborted when a budget runs out: cancels in-flight calls. */
  readonly controller = new AbortController();
  calls = 0;
  cacheHits = 0;
  costUsd = 0;
  /** Whether some call's cost was unknown (a model missing from the pricing table). */
  costUnknown = false;
  promptTokens = 0;
  completionTokens = 0;
  readonly startedMs = performance.now();
  #timer?: LongTimeout;
  #started = 0;

  constructor(limits: BudgetLimits) {
    this.limits = limits;
    if (limits.timeoutMs !== undefined) {
      this.#timer = setLongTimeout(
        () =>
          this.#stop(
            new BudgetExceededError(
              "timeout",
              `Time budget of ${limits.timeoutMs! / 1000} s ran out`,
            ),
          ),
        limits.timeoutMs,
      );
    }
  }

  /** The error that stopped the run, if one did. */
  get exceeded(): BudgetExceededError | undefined {
    const reason = this.controller.signal.reason;
    return reason instanceof BudgetExceededError ? reason : undefined;
  }

  /**
   * Throw if a budget ran out, or if one more call would exceed the call budget; else count the
   * call as started (calls in flight count, so parallel calls cannot overshoot the budget).
   */
  beforeCall(): void {
    const stopped = this.exceeded;
    if (stopped) throw stopped;
    const { maxLlmCalls } = this.limits;
    if (maxLlmCalls !== undefined && this.#started >= maxLlmCalls) {
      this.#stop(
        new BudgetExceededError("llm_calls", `Model call budget of ${maxLlmCalls} calls ran out`),
      );
      throw this.exceeded;
    }
    this.#started++;
  }

  /** Count a finished call; stops the run if it crossed the cost budget. */
  record(response: ChatResponse): void {
    if (response.cached) {
      this.cacheHits++;
      return;
    }
    this.calls++;
    this.promptTokens += response.usage.promptTokens;
    this.completionTokens += response.usage.completionTokens;
    if (response.costUsd === null) this.costUnknown = true;
    else this.costUsd += response.costUsd;
    const { maxCostUsd } = this.limits;
    if (maxCostUsd !== undefined && this.costUsd > maxCostUsd) {
      this.#stop(
        new BudgetExceededError(
          "cost",
          `Cost budget of $${maxCostUsd} ran out ($${this.costUsd.toFixed(4)} spent)`,
        ),
      );
    }
  }

  /**
   * The signal for the request for a best answer after a budget ran out: it aborts with
   * `signal`, or when the grace (`bestAnswerGraceMs`) has passed.
   */
  graceSignal(signal?: AbortSignal): AbortSignal {
    const grace = AbortSignal.timeout(bestAnswerGraceMs(this.limits.timeoutMs));
    return signal ? AbortSignal.any([signal, grace]) : grace;
  }

  /** Stop the clock. */
  dispose(): void {
    this.#timer?.clear();
  }

  #stop(error: BudgetExceededError): void {
    if (!this.controller.signal.aborted) this.controller.abort(error);
  }
}
