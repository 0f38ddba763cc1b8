/**
 * The retry layer every model port has: the endpoint of each request, bounded retries with
 * backoff that honour `retry-after`, the cost from the pricing table, and one `ModelCallError`
 * when a call fails for good (docs/how-to/models.md).
 *
 * @module
 */
import { ModelCallError } from "./model_call_error.ts";
import type { ChatRequest, ChatResponse, ModelPort } from "./port.ts";
import { costOf, type Price } from "./pricing.ts";
import { type ProviderAdapter, ProviderFailure } from "./provider_adapter.ts";
import { resolveEndpoint } from "./providers.ts";

/** Retries of a malformed reply (not JSON, not a chat completion) before giving up. */
export const MALFORMED_RETRIES = 2;

/** Options of the retry layer. */
export interface RetryingModelOptions {
  /** `--base-url`: wins over every provider's endpoint, and gets only `OPENAI_API_KEY`. */
  baseUrl?: string;
  /** The pricing table (`loadPricing()`). */
  pricing: Record<string, Price>;
  /**
   * Retries after the first try on 429, 5xx, timeouts and connection errors.
   * @default {6}
   */
  maxRetries?: number;
  /**
   * First backoff delay, doubled each retry (with jitter), in ms.
   * @default {500, or `RLM_RETRY_BASE_MS`}
   */
  retryBaseMs?: number;
  /** Called before each retry, for progress. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Environment to read keys from; default the process's. */
  env?: Record<string, string | undefined>;
}

/**
 * A model port over `adapter`. Keys and endpoints are resolved per request (so root and child
 * models may use different providers); a missing key is a `UsageError` naming the variable.
 *
 * @example
 * ```ts
 * import { openAIAdapter } from "./openai_adapter.ts";
 * import { BUILTIN_PRICES } from "./pricing.ts";
 * import { retryingModel } from "./retrying_model.ts";
 * const model = retryingModel(openAIAdapter(), { pricing: BUILTIN_PRICES, maxRetries: 2 });
 * ```
 */
export function retryingModel(adapter: ProviderAdapter, options: RetryingModelOptions): ModelPort {
  const maxRetries = options.maxRetries ?? 6;
  const base = options.retryBaseMs ?? Number(Deno.env.get("RLM_RETRY_BASE_MS") ?? 500);
  return {
    async complete(request: ChatRequest, opts = {}): Promise<ChatResponse> {
      const endpoint = resolveEndpoint(request.model, {
        baseUrl: options.baseUrl,
        env: options.env,
      });
      const start = performance.now();
      for (let attempt = 0;; attempt++) {
        try {
          const reply = await adapter.complete(request, endpoint, { signal: opts.signal });
          return {
            content: reply.content,
            usage: reply.usage ?? { promptTokens: 0, completionTokens: 0 },
            costUsd: reply.usage ? costOf(options.pricing, request.model, reply.usage) : null,
            cached: false,
            latencyMs: performance.now() - start,
            retries: attempt,
          };
        } catch (error) {
          if (opts.signal?.aborted) throw opts.signal.reason ?? error;
          const failure = error instanceof ProviderFailure ? error : unknownFailure(error);
          const limit = failure.malformed ? Math.min(maxRetries, MALFORMED_RETRIES) : maxRetries;
          if (!failure.retry || attempt >= limit) {
            throw new ModelCallError(
              failure.retry
                ? `${failure.message} (gave up after ${attempt + 1} tries)`
                : failure.message,
              { cause: failure.cause ?? error, status: failure.status },
            );
          }
          const backoff = base * 2 ** attempt * (0.5 + Math.random() / 2);
          const delayMs = Math.min(60_000, failure.retryAfterMs ?? backoff);
          options.onRetry?.({ attempt: attempt + 1, delayMs, reason: failure.message });
          await sleep(delayMs, opts.signal);
        }
      }
    },
  };
}

/** An error the adapter did not classify: not retried. */
function unknownFailure(error: unknown): ProviderFailure {
  return new ProviderFailure(
    `Model call failed: ${error instanceof Error ? error.message : String(error)}`,
    { retry: false, cause: error },
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("Cancelled"));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}
