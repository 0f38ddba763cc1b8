/**
 * The cache key of a model call (docs/how-to/cache.md): the hash of `{endpoint, model, messages, sampling
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
 * The base URL a request for `model` goes to: `baseUrl` (`--base-url`) if given, else its
 * provider's endpoint (for OpenAI's, `OPENAI_BASE_URL` from `env` when set), else OpenAI's;
 * without a trailing slash. A model without a known provider prefix goes to OpenAI's endpoint.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(modelEndpoint("ollama/qwen3", undefined, {}), "http://localhost:11434/v1");
 * assertEquals(modelEndpoint("gpt-5-mini", "http://127.0.0.1:8080/v1/"), "http://127.0.0.1:8080/v1");
 * assertEquals(modelEndpoint("gpt-5-mini", undefined, { OPENAI_BASE_URL: "http://h/v1" }), "http://h/v1");
 * ```
 */
export function modelEndpoint(
  model: string,
  baseUrl?: string,
  env: Record<string, string | undefined> = readEnv(),
): string {
  const slash = model.indexOf("/");
  const provider: { name: string; baseUrl?: string; baseUrlVar?: string } =
    (slash > 0 ? PROVIDERS[model.slice(0, slash)] : undefined) ?? PROVIDERS.openai;
  const envVar = provider.baseUrlVar ??
    (provider.name === "openai" ? "OPENAI_BASE_URL" : undefined);
  const fromEnv = envVar ? env[envVar] || undefined : undefined;
  const url = baseUrl ?? fromEnv ?? provider.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  return url.replace(/\/+$/, "");
}

function readEnv(): Record<string, string | undefined> {
  try {
    return { OPENAI_BASE_URL: Deno.env.get("OPENAI_BASE_URL") };
  } catch {
    return {}; // no env permission: the library was handed its endpoint explicitly, if at all
  }
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
