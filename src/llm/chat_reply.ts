/**
 * The shape of a chat completion reply, checked where it arrives: anything else an endpoint
 * sends (HTML with status 200, `choices: [null]`, a number for content) is a malformed reply.
 *
 * @module
 */
import { z } from "zod";

const Tokens = z.number().int().nonnegative().optional();

/** The parts of a chat completion rlm reads. */
export const ChatReplySchema = z.object({
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullish(),
        refusal: z.string().nullish(),
      }),
    }),
  ).min(1),
  usage: z.object({ prompt_tokens: Tokens, completion_tokens: Tokens }).nullish(),
});

/** A chat completion reply as rlm reads it. */
export type ChatReply = z.infer<typeof ChatReplySchema>;

/**
 * The reply, or the reason it is not one (for the error message: what was wrong, and a short
 * sample of what came instead of JSON).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(parseChatReply({ choices: [null] }).ok, false);
 * ```
 */
export function parseChatReply(
  body: unknown,
): { ok: true; reply: ChatReply } | { ok: false; reason: string } {
  if (typeof body === "string") {
    const sample = body.replace(/\s+/g, " ").trim().slice(0, 60);
    return { ok: false, reason: `it is not JSON (it starts ${JSON.stringify(sample)})` };
  }
  const parsed = ChatReplySchema.safeParse(body);
  if (parsed.success) return { ok: true, reply: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String).join(".");
  return { ok: false, reason: `${path || "the reply"}: ${issue.message}` };
}
