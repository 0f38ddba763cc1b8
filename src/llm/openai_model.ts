/**
 * `createOpenAIModel()`: a model port that sends every model to the OpenAI-compatible
 * protocol, with the retry layer. `openModel()` is the same with the adapter picked by provider
 * and the keys checked up front; this one stays for library users and tests.
 *
 * @module
 */
import { openAIAdapter } from "./openai_adapter.ts";
import type { ModelPort } from "./port.ts";
import { retryingModel, type RetryingModelOptions } from "./retrying_model.ts";

/** Options of the OpenAI-compatible model port. */
export interface OpenAIModelOptions extends RetryingModelOptions {
  /**
   * Per-request timeout, in ms.
   * @default {300000}
   */
  timeoutMs?: number;
}

/**
 * Create the port. Keys and endpoints are resolved per request (so root and child models may
 * use different providers); a missing key is a `UsageError` naming the variable, at the first
 * request.
 *
 * @example
 * ```ts
 * import { createOpenAIModel } from "./openai_model.ts";
 * import { loadPricing } from "./pricing.ts";
 * const model = createOpenAIModel({ baseUrl: "http://127.0.0.1:8000/v1", pricing: await loadPricing() });
 * ```
 */
export function createOpenAIModel(options: OpenAIModelOptions): ModelPort {
  return retryingModel(openAIAdapter({ timeoutMs: options.timeoutMs }), options);
}
