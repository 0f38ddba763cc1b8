/**
 * A provider's wire protocol: one try of one chat request, no retries, no pricing. The retry
 * layer (`retrying_model.ts`) turns adapters into a `ModelPort`; `openModel()` picks the adapter
 * by the model's provider prefix (docs/how-to/models.md).
 *
 * @module
 */
import type { ChatRequest, Usage } from "./port.ts";
import type { Endpoint } from "./providers.ts";

/** What one successful try returns. */
export interface AdapterReply {
  content: string;
  /** Token counts; `undefined` when the endpoint sent none (the cost is then unknown). */
  usage?: Usage;
}

/** One provider's protocol. A try that fails throws a `ProviderFailure` saying whether to retry. */
export interface ProviderAdapter {
  complete(
    request: ChatRequest,
    endpoint: Endpoint,
    options: { signal?: AbortSignal },
  ): Promise<AdapterReply>;
}

/** Options of a `ProviderFailure`. */
export interface ProviderFailureOptions extends ErrorOptions {
  /** Whether another try may succeed (429, 5xx, timeouts, connection errors). */
  retry: boolean;
  /** The endpoint answered with something that is not a reply; retried fewer times. */
  malformed?: boolean;
  /** HTTP status, if the endpoint answered. */
  status?: number;
  /** How long the endpoint asked to wait (`retry-after`), in ms. */
  retryAfterMs?: number;
}

/** One failed try, classified by the adapter for the retry layer. */
export class ProviderFailure extends Error {
  /** Whether another try may succeed. */
  readonly retry: boolean;
  /** Whether the reply was malformed. */
  readonly malformed: boolean;
  /** HTTP status, if the endpoint answered. */
  readonly status?: number;
  /** The wait the endpoint asked for, in ms. */
  readonly retryAfterMs?: number;
  constructor(message: string, options: ProviderFailureOptions) {
    super(message, { cause: options.cause });
    this.name = "ProviderFailure";
    this.retry = options.retry;
    this.malformed = options.malformed ?? false;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
