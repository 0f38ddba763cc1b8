/**
 * `openModel()`: the model port a run uses. It checks the models' keys and endpoints up front,
 * sends each request with its provider's adapter (by the prefix of the model name, see
 * `providers.ts`), and wraps them all in the retry layer (docs/how-to/models.md).
 *
 * @module
 */
import { openAIAdapter } from "./openai_adapter.ts";
import type { ModelPort } from "./port.ts";
import { loadPricing, type Price } from "./pricing.ts";
import type { ProviderAdapter } from "./provider_adapter.ts";
import { PROVIDERS, resolveEndpoint } from "./providers.ts";
import { retryingModel, type RetryingModelOptions } from "./retrying_model.ts";

/** The wire protocols, by `Provider.api`. A provider with its own protocol adds one entry. */
export const ADAPTERS: Record<string, (options: OpenModelOptions) => ProviderAdapter> = {
  openai: (options) => openAIAdapter({ timeoutMs: options.timeoutMs }),
};

/** Options of `openModel`. */
export interface OpenModelOptions extends Omit<RetryingModelOptions, "pricing"> {
  /**
   * The pricing table.
   * @default {the table `loadPricing()` reads (built-ins and `RLM_PRICING_FILE`)}
   */
  pricing?: Record<string, Price>;
  /**
   * Per-request timeout, in ms.
   * @default {300000}
   */
  timeoutMs?: number;
}

/**
 * A model port for `models` (one name or several: a root and a child model). Each name's key
 * and endpoint are checked now (before the pricing file is read), so a missing key is a
 * `UsageError` before anything runs; each request then goes to its own model's provider.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/_assert.ts";
 * import { openModel } from "./open_model.ts";
 * import { BUILTIN_PRICES } from "./pricing.ts";
 * const model = await openModel("ollama/qwen3", { pricing: BUILTIN_PRICES, env: {} });
 * assertEquals(typeof model.complete, "function");
 * ```
 */
export async function openModel(
  models: string | readonly string[],
  options: OpenModelOptions = {},
): Promise<ModelPort> {
  const adapters = new Map<string, ProviderAdapter>();
  for (const name of typeof models === "string" ? [models] : models) {
    resolveEndpoint(name, { baseUrl: options.baseUrl, env: options.env });
  }
  const adapterFor = (provider: string): ProviderAdapter => {
    const api = PROVIDERS[provider]?.api ?? "openai";
    let adapter = adapters.get(api);
    if (adapter === undefined) {
      const make = ADAPTERS[api];
      if (make === undefined) {
        throw new RangeError(`Provider "${provider}" names no adapter "${api}"`);
      }
      adapters.set(api, adapter = make(options));
    }
    return adapter;
  };
  const pricing = options.pricing ?? await loadPricing();
  return retryingModel({
    complete: (request, endpoint, opts) =>
      adapterFor(endpoint.provider).complete(request, endpoint, opts),
  }, { ...options, pricing });
}
