/**
 * The cache of model calls (docs/how-to/cache.md): a reply stored under its request's key
 * (`modelCallKey`) as soon as it arrives, and read back as a hit that cost nothing.
 *
 * @module
 */
import type { ResultStore } from "../cache/store.ts";
import type { ChatRequest, ChatResponse } from "../llm/port.ts";
import { modelCallKey } from "./model_call_key.ts";

/** Model calls cached in `store`, keyed with the base URL they go to (`--base-url`, if any). */
export class ModelCallCache {
  readonly #store: ResultStore;
  readonly #baseUrl?: string;

  constructor(store: ResultStore, baseUrl?: string) {
    this.#store = store;
    this.#baseUrl = baseUrl;
  }

  /** The stored reply to `request`, marked `cached` (no latency, no retries), or `undefined`. */
  async read(request: ChatRequest): Promise<ChatResponse | undefined> {
    const hit = await this.#store.get("llm", modelCallKey(request, this.#baseUrl));
    if (typeof hit !== "string") return undefined;
    try {
      const saved = JSON.parse(hit) as ChatResponse;
      return { ...saved, cached: true, latencyMs: 0, retries: 0 };
    } catch {
      return undefined;
    }
  }

  /** Store `response` as the reply to `request`. */
  async write(request: ChatRequest, response: ChatResponse): Promise<void> {
    await this.#store.put("llm", modelCallKey(request, this.#baseUrl), JSON.stringify(response));
  }
}
