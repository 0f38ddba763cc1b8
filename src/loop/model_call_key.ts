/**
 * The cache key of a model call (SPEC §3.5): the hash of `{model, messages, sampling params}`.
 *
 * @module
 */
import { hashKey } from "../cache/hash.ts";
import type { ChatRequest } from "../llm/port.ts";

/** The cache key of a chat request. */
export function modelCallKey(request: ChatRequest): string {
  return hashKey({
    kind: "chat",
    model: request.model,
    messages: request.messages,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
  });
}
