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

  /** The key of `request` (hashing the whole request: compute it once per call). */
  key(request: ChatRequest): string {
    return modelCallKey(request, this.#baseUrl);
  }

  /** The stored reply under `key`, marked `cached` (no latency, no retries), or `undefined`. */
  async read(key: string): Promise<ChatResponse | undefined> {
    const hit = await this.#store.get("llm", key);
    if (typeof hit !== "string") return undefined;
    try {
      const saved = JSON.parse(hit) as ChatResponse;
      return { ...saved, cached: true, latencyMs: 0, retries: 0 };
    } catch {
      return undefined;
    }
  }

  /** Store `response` as the reply under `key`. */
  async write(key: string, response: ChatResponse): Promise<void> {
    await this.#store.put("llm", key, JSON.stringify(response));
  }
}
