/**
 * The `fetch` the model client uses: it never follows a redirect (a key must not travel to
 * another origin), sends no `Authorization` header when there is no key, and reads at most
 * `MAX_REPLY_BYTES` of a reply.
 *
 * @module
 */

/** The largest reply body read from a model endpoint. */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** Statuses whose response has no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A reply body was larger than `MAX_REPLY_BYTES`. */
export class ReplyTooLargeError extends Error {
  constructor() {
    super(`the reply is larger than ${MAX_REPLY_BYTES} bytes`);
    this.name = "ReplyTooLargeError";
  }
}

/**
 * A `fetch` for the `openai` client. `sendKey: false` removes the client's placeholder key.
 * A redirect comes back as the 3xx response itself, which the client reports as an error.
 *
 * @example
 * ```ts
 * const fetch = guardedFetch({ sendKey: false });
 * ```
 */
export function guardedFetch(options: { sendKey: boolean }): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (!options.sendKey) headers.delete("authorization");
    const response = await fetch(input, { ...init, headers, redirect: "manual" });
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > MAX_REPLY_BYTES) {
      await response.body?.cancel();
      throw new ReplyTooLargeError();
    }
    if (response.body === null || NULL_BODY.has(response.status)) return response;
    let seen = 0;
    const capped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > MAX_REPLY_BYTES) controller.error(new ReplyTooLargeError());
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(capped, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
