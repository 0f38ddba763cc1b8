/**
 * The model port over the `openai` client (chat completions), for any OpenAI-compatible
 * endpoint, with bounded retries that honour `retry-after`.
 *
 * @module
 */
import type OpenAI from "openai";
import { InfrastructureError } from "../protocol/errors.ts";
import { parseChatReply } from "./chat_reply.ts";
import type { ChatRequest, ChatResponse, ModelPort } from "./port.ts";
import { costOf, type Price } from "./pricing.ts";
import { type Endpoint, resolveEndpoint } from "./providers.ts";
import { guardedFetch, MAX_REPLY_BYTES, ReplyTooLargeError } from "./guarded_fetch.ts";

/** Retries of a malformed reply (not JSON, not a chat completion) before giving up. */
export const MALFORMED_RETRIES = 2;

/** Options of the OpenAI-compatible model port. */
export interface OpenAIModelOptions {
  /** `--base-url`: wins over every provider's endpoint, and gets only `OPENAI_API_KEY`. */
  baseUrl?: string;
  /** The pricing table (`loadPricing()`). */
  pricing: Record<string, Price>;
  /** Per-request timeout; default 300 000 ms. */
  timeoutMs?: number;
  /** Retries after the first try on 429, 5xx, timeouts and connection errors; default 6. */
  maxRetries?: number;
  /** First backoff delay, doubled each retry (with jitter); default 500 ms (`RLM_RETRY_BASE_MS`). */
  retryBaseMs?: number;
  /** Called before each retry, for progress. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Environment to read keys from; default the process's. */
  env?: Record<string, string | undefined>;
}

/**
 * A model call that failed for good: after retries, or refused by the endpoint. It is an
 * `InfrastructureError` (component `provider`): it ends the run, wherever in the tree it happens.
 */
export class ModelCallError extends InfrastructureError {
  /** HTTP status, if the endpoint answered. */
  readonly status?: number;
  constructor(message: string, options?: ErrorOptions & { status?: number }) {
    super("provider", message, options);
    this.name = "ModelCallError";
    this.status = options?.status;
  }
}

/**
 * Create the port. Keys and endpoints are resolved per model (so root and child models may
 * use different providers); a missing key is a `UsageError` naming the variable.
 *
 * @example
 * ```ts
 * const model = createOpenAIModel({ pricing: await loadPricing() });
 * const reply = await model.complete({ model: "gpt-5-mini", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function createOpenAIModel(options: OpenAIModelOptions): ModelPort {
  const clients = new Map<string, OpenAI>();
  const maxRetries = options.maxRetries ?? 6;
  const base = options.retryBaseMs ?? Number(Deno.env.get("RLM_RETRY_BASE_MS") ?? 500);
  const clientFor = async (endpoint: Endpoint) => {
    const OpenAI = await loadSdk();
    const id = `${endpoint.baseUrl}\u0000${endpoint.apiKey ?? ""}`;
    let client = clients.get(id);
    if (!client) {
      // Everything is explicit, so the client reads no OPENAI_* variable of its own.
      client = new OpenAI({
        apiKey: endpoint.apiKey ?? "no-key",
        organization: null,
        project: null,
        baseURL: endpoint.baseUrl,
        maxRetries: 0,
        timeout: options.timeoutMs ?? 300_000,
        fetch: guardedFetch({ sendKey: endpoint.apiKey !== undefined }),
      });
      clients.set(id, client);
    }
    return client;
  };

  return {
    async complete(request: ChatRequest, opts = {}): Promise<ChatResponse> {
      const endpoint = resolveEndpoint(request.model, {
        baseUrl: options.baseUrl,
        env: options.env,
      });
      const client = await clientFor(endpoint);
      const sdk = await loadSdk();
      const start = performance.now();
      for (let attempt = 0;; attempt++) {
        try {
          const completion = await client.chat.completions.create(
            {
              model: endpoint.model,
              messages: request.messages,
              ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
              ...(request.maxTokens === undefined
                ? {}
                : { max_completion_tokens: request.maxTokens }),
            },
            { signal: opts.signal },
          );
          const parsed = parseChatReply(completion);
          if (!parsed.ok) throw new MalformedReply(parsed.reason);
          const message = parsed.reply.choices[0].message;
          const content = message.content ?? message.refusal ?? "";
          const replyUsage = parsed.reply.usage;
          const usage = {
            promptTokens: replyUsage?.prompt_tokens ?? 0,
            completionTokens: replyUsage?.completion_tokens ?? 0,
          };
          return {
            content,
            usage,
            costUsd: replyUsage ? costOf(options.pricing, request.model, usage) : null,
            cached: false,
            latencyMs: performance.now() - start,
            retries: attempt,
          };
        } catch (error) {
          if (opts.signal?.aborted) throw opts.signal.reason ?? error;
          const verdict = classify(sdk, error, endpoint);
          const limit = verdict.malformed ? Math.min(maxRetries, MALFORMED_RETRIES) : maxRetries;
          if (!verdict.retry || attempt >= limit) {
            throw new ModelCallError(
              verdict.retry
                ? `${verdict.message} (gave up after ${attempt + 1} tries)`
                : verdict.message,
              { cause: error, status: verdict.status },
            );
          }
          const backoff = base * 2 ** attempt * (0.5 + Math.random() / 2);
          const delayMs = Math.min(60_000, verdict.retryAfterMs ?? backoff);
          options.onRetry?.({ attempt: attempt + 1, delayMs, reason: verdict.message });
          await sleep(delayMs, opts.signal);
        }
      }
    },
  };
}

class MalformedReply extends Error {}

interface Verdict {
  retry: boolean;
  /** The endpoint answered with something that is not a chat completion. */
  malformed?: boolean;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

/** The `openai` package, loaded on the first model call (it costs ~130 ms to load). */
let sdkModule: Promise<typeof OpenAI> | undefined;
function loadSdk(): Promise<typeof OpenAI> {
  return sdkModule ??= import("openai").then((m) => m.default);
}

function classify(
  OpenAI: typeof import("openai").default,
  error: unknown,
  endpoint: Endpoint,
): Verdict {
  const where = endpoint.baseUrl;
  const tooLarge = findCause(error, ReplyTooLargeError);
  if (tooLarge) {
    return {
      retry: false,
      message: `Model endpoint ${where} sent a reply larger than ${MAX_REPLY_BYTES} bytes`,
    };
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { retry: true, message: `Model endpoint ${where} timed out` };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { retry: true, message: `Cannot reach model endpoint ${where}: ${causeOf(error)}` };
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const retry = status === 408 || status === 409 || status === 429 || status >= 500;
    const detail = error.message.replace(/\s+/g, " ").slice(0, 200);
    const hint = status === 401 || status === 403
      ? ` (check the API key${endpoint.keyVar ? ` in ${endpoint.keyVar}` : ""})`
      : status >= 300 && status < 400
      ? " (rlm does not follow redirects: give the final URL as --base-url)"
      : status === 404
      ? ` (is "${endpoint.model}" a model this endpoint serves?)`
      : "";
    return {
      retry,
      status,
      message: `Model endpoint ${where} answered ${status}: ${detail}${hint}`,
      retryAfterMs: retryAfter(error.headers),
    };
  }
  if (error instanceof MalformedReply || error instanceof SyntaxError) {
    return {
      retry: true,
      malformed: true,
      message: `Model endpoint ${where} sent a malformed reply: ${(error as Error).message}`,
    };
  }
  return {
    retry: false,
    message: `Model call failed: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function findCause<T>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof type) return e;
    e = e.cause;
  }
  return undefined;
}

function retryAfter(headers: unknown): number | undefined {
  const get = (name: string): string | null | undefined =>
    headers instanceof Headers
      ? headers.get(name)
      : (headers as Record<string, string> | undefined)?.[name];
  const ms = get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error.message;
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
