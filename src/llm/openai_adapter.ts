/**
 * The OpenAI-compatible chat-completions protocol (the `openai` client), one try per call:
 * every provider rlm knows speaks it (docs/how-to/models.md).
 *
 * @module
 */
import type OpenAI from "openai";
import { parseChatReply } from "./chat_reply.ts";
import { guardedFetch, MAX_REPLY_BYTES, ReplyTooLargeError } from "./guarded_fetch.ts";
import type { ChatRequest } from "./port.ts";
import { type AdapterReply, type ProviderAdapter, ProviderFailure } from "./provider_adapter.ts";
import type { Endpoint } from "./providers.ts";

/** Options of the OpenAI-compatible adapter. */
export interface OpenAIAdapterOptions {
  /**
   * Per-request timeout, in ms.
   * @default {300000}
   */
  timeoutMs?: number;
}

/**
 * The adapter: one `openai` client per endpoint and key, none of them retrying on its own.
 *
 * @example
 * ```ts
 * import { openAIAdapter } from "./openai_adapter.ts";
 * const adapter = openAIAdapter({ timeoutMs: 60_000 });
 * ```
 */
export function openAIAdapter(options: OpenAIAdapterOptions = {}): ProviderAdapter {
  const clients = new Map<string, OpenAI>();
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
    async complete(request: ChatRequest, endpoint: Endpoint, opts): Promise<AdapterReply> {
      const client = await clientFor(endpoint);
      let completion: unknown;
      try {
        completion = await client.chat.completions.create(
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
      } catch (error) {
        if (opts.signal?.aborted) throw error;
        throw classify(await loadSdk(), error, endpoint) ?? error;
      }
      const parsed = parseChatReply(completion);
      if (!parsed.ok) throw malformed(endpoint, parsed.reason);
      const message = parsed.reply.choices[0].message;
      const usage = parsed.reply.usage;
      return {
        content: message.content ?? message.refusal ?? "",
        usage: usage
          ? {
            promptTokens: usage.prompt_tokens ?? 0,
            completionTokens: usage.completion_tokens ?? 0,
          }
          : undefined,
      };
    },
  };
}

/** The `openai` package, loaded on the first model call (it costs ~130 ms to load). */
let sdkModule: Promise<typeof OpenAI> | undefined;
function loadSdk(): Promise<typeof OpenAI> {
  return sdkModule ??= import("openai").then((m) => m.default);
}

function malformed(endpoint: Endpoint, reason: string, cause?: unknown): ProviderFailure {
  return new ProviderFailure(
    `Model endpoint ${endpoint.baseUrl} sent a malformed reply: ${reason}`,
    { retry: true, malformed: true, cause },
  );
}

/** What a failed try means; `undefined` for an error this adapter does not know. */
function classify(
  OpenAI: typeof import("openai").default,
  error: unknown,
  endpoint: Endpoint,
): ProviderFailure | undefined {
  const where = endpoint.baseUrl;
  if (findCause(error, ReplyTooLargeError)) {
    return new ProviderFailure(
      `Model endpoint ${where} sent a reply larger than ${MAX_REPLY_BYTES} bytes`,
      { retry: false, cause: error },
    );
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderFailure(`Model endpoint ${where} timed out`, { retry: true, cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new ProviderFailure(`Cannot reach model endpoint ${where}: ${causeOf(error)}`, {
      retry: true,
      cause: error,
    });
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const detail = error.message.replace(/\s+/g, " ").slice(0, 200);
    return new ProviderFailure(
      `Model endpoint ${where} answered ${status}: ${detail}${hintFor(status, endpoint)}`,
      {
        retry: status === 408 || status === 409 || status === 429 || status >= 500,
        status,
        retryAfterMs: retryAfter(error.headers),
        cause: error,
      },
    );
  }
  if (error instanceof SyntaxError) return malformed(endpoint, error.message, error);
  return undefined;
}

function hintFor(status: number, endpoint: Endpoint): string {
  if (status === 401 || status === 403) {
    return ` (check the API key${endpoint.keyVar ? ` in ${endpoint.keyVar}` : ""})`;
  }
  if (status >= 300 && status < 400) {
    return " (rlm does not follow redirects: give the final URL as --base-url)";
  }
  if (status === 404) return ` (is "${endpoint.model}" a model this endpoint serves?)`;
  return "";
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
