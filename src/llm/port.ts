/**
 * The model port: one chat completion, whatever the provider (docs/how-to/models.md).
 *
 * @module
 */

/** One chat message. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A chat completion request. Everything here is part of the model-call cache key. */
export interface ChatRequest {
  /** Model name, possibly with a provider prefix (`openai/gpt-5-mini`, `ollama/qwen3`). */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
}

/** Token counts of one response. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** A chat completion response. */
export interface ChatResponse {
  content: string;
  usage: Usage;
  /** Cost in USD, or `null` when the model is not in the pricing table. */
  costUsd: number | null;
  /** Whether the response came from the cache (no request was made). */
  cached: boolean;
  latencyMs: number;
  /** How many retries the request needed. */
  retries: number;
}

/**
 * Anything that answers chat requests: `openModel()` (a provider's adapter under the retry
 * layer), or a fake in tests. The cache is not a port: the loop's gateway reads it first.
 */
export interface ModelPort {
  complete(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResponse>;
}
