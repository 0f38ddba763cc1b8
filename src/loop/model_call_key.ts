/**
 * The cache key of a model call (SPEC §3.5): the hash of `{endpoint, model, messages, sampling
 * params}`, where the endpoint is the base URL the request goes to. The same model name at two
 * endpoints (a local server and a hosted one, two `--base-url`s) are two different models.
 *
 * @module
 */
import { hashKey } from "../cache/hash.ts";
import type { ChatRequest } from "../llm/port.ts";
import { PROVIDERS } from "../llm/providers.ts";

/** Where the OpenAI client sends a request when no base URL is given. */
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/**
 * The base URL a request for `model` goes to: `baseUrl` (`--base-url`, `OPENAI_BASE_URL`) if
 * given, else its provider prefix's endpoint, else OpenAI's; without a trailing slash.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(modelEndpoint("ollama/qwen3"), "http://localhost:11434/v1");
 * assertEquals(modelEndpoint("gpt-5-mini", "http://127.0.0.1:8080/v1/"), "http://127.0.0.1:8080/v1");
 * ```
 */
export function modelEndpoint(model: string, baseUrl?: string): string {
  const slash = model.indexOf("/");
  const provider = slash > 0 ? PROVIDERS[model.slice(0, slash)] : undefined;
  const url = baseUrl ?? provider?.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  return url.replace(/\/+$/, "");
}

/** The cache key of a chat request sent with `baseUrl` (see `modelEndpoint`). */
export function modelCallKey(request: ChatRequest, baseUrl?: string): string {
  return hashKey({
    kind: "chat",
    endpoint: modelEndpoint(request.model, baseUrl),
    model: request.model,
    messages: request.messages,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
  });
}
