/**
 * Every model call of a run goes through one gateway: the cache first, then one concurrency
 * limit for the whole tree, the budgets, and the record of the call for traces and progress.
 *
 * @module
 */
import type { ResultStore } from "../cache/store.ts";
import { Limiter } from "../llm/limiter.ts";
import type { ChatRequest, ChatResponse, ModelPort } from "../llm/port.ts";
import type { CallRecord } from "../protocol/trace.ts";
import { recordMessages } from "../trace/call_messages.ts";
import type { Budget } from "./budget.ts";
import { ModelCallCache } from "./model_call_cache.ts";

/** Options of the gateway. */
export interface GatewayOptions {
  model: ModelPort;
  /** The cache; none with `--no-cache`. */
  store?: ResultStore;
  /** The base URL requests go to (`--base-url`), part of the cache key; default per provider. */
  baseUrl?: string;
  budget: Budget;
  /** `--max-parallel`: model calls in flight across the whole tree. */
  maxParallel: number;
  /** Told about every finished call (progress). */
  onCall?: (call: CallRecord, response: ChatResponse) => void;
}

/** The gateway: `complete` for one request made on behalf of `call`. */
export class Gateway {
  readonly #options: GatewayOptions;
  readonly #limiter: Limiter;
  readonly #cache?: ModelCallCache;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#limiter = new Limiter(options.maxParallel);
    if (options.store) this.#cache = new ModelCallCache(options.store, options.baseUrl);
  }

  /**
   * Answer `request` for `call`. `bypassBudget` is for the one final question asked after a
   * budget ran out.
   */
  async complete(
    request: ChatRequest,
    call: CallRecord,
    options: { signal?: AbortSignal; bypassBudget?: boolean } = {},
  ): Promise<ChatResponse> {
    const { budget, model } = this.#options;
    const cache = this.#cache;
    const key = cache?.key(request);
    let response = cache && key ? await cache.read(key) : undefined;
    if (response === undefined) {
      response = await this.#limiter.run(async () => {
        if (!options.bypassBudget) budget.beforeCall();
        const signal = options.bypassBudget
          ? options.signal
          : options.signal
          ? AbortSignal.any([options.signal, budget.controller.signal])
          : budget.controller.signal;
        const fresh = await model.complete(request, { signal });
        // Stored as soon as it arrives: a run killed later does not repeat this call.
        if (cache && key) await cache.write(key, fresh);
        return fresh;
      }, options.bypassBudget ? options.signal : budget.controller.signal);
    }
    budget.record(response);
    call.model_calls.push({
      model: request.model,
      prompt_tokens: response.usage.promptTokens,
      completion_tokens: response.usage.completionTokens,
      cost_usd: response.costUsd,
      latency_ms: Math.round(response.latencyMs),
      cached: response.cached,
      retries: response.retries,
      // Only what is new since this conversation's previous call (trace version 2).
      ...recordMessages(call, request.messages, response.content),
      reply: response.content,
    });
    this.#options.onCall?.(call, response);
    return response;
  }
}
