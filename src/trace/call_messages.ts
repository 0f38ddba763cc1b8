/**
 * The messages of each model call, recorded once (trace format version 2). A call's request
 * repeats the whole conversation so far; recording it whole at every call makes a trace grow with
 * the square of its turns. Instead a model call that continues the previous one of the same call
 * record (same conversation: its messages start with that call's messages and reply) records only
 * what is new, and `extends`, the index of that call; `fullMessages` puts it back together.
 *
 * @module
 */
import type { CallRecord, ModelCallRecord } from "../protocol/trace.ts";

/** One chat message as a trace records it. */
export interface TraceMessage {
  role: string;
  content: string;
}

/** The last conversation seen per call record: its full messages, with the reply appended. */
const lastConversation = new WeakMap<CallRecord, { index: number; messages: TraceMessage[] }>();

/**
 * What to record for the model call about to be pushed onto `call.model_calls`, which sent
 * `messages` and got `reply`: `{messages}` whole, or `{extends, messages}` with only the new ones.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const call = { model_calls: [] } as unknown as import("../protocol/trace.ts").CallRecord;
 * const first = [{ role: "user", content: "q" }];
 * assertEquals(recordMessages(call, first, "a"), { messages: first });
 * ```
 */
export function recordMessages(
  call: CallRecord,
  messages: readonly TraceMessage[],
  reply: string,
): { messages: TraceMessage[]; extends?: number } {
  const last = lastConversation.get(call);
  const index = call.model_calls.length;
  lastConversation.set(call, {
    index,
    messages: [...messages, { role: "assistant", content: reply }],
  });
  if (last === undefined || last.index >= index || !startsWith(messages, last.messages)) {
    return { messages: messages.map(copy) };
  }
  return { extends: last.index, messages: messages.slice(last.messages.length).map(copy) };
}

/**
 * The whole conversation sent by `call.model_calls[index]`, rebuilt from the records it extends
 * (without recursion, however long the chain).
 */
export function fullMessages(calls: readonly ModelCallRecord[], index: number): TraceMessage[] {
  const chain: number[] = [];
  for (let i: number | undefined = index; i !== undefined;) {
    chain.push(i);
    const next: number | undefined = calls[i].extends;
    if (next !== undefined && !(Number.isInteger(next) && next >= 0 && next < i)) {
      throw new RangeError(`Model call ${i} extends ${next}, which is not an earlier call`);
    }
    i = next;
  }
  const out: TraceMessage[] = [];
  for (let k = chain.length - 1; k >= 0; k--) {
    const m = calls[chain[k]];
    for (const message of m.messages) out.push(message);
    if (k > 0) out.push({ role: "assistant", content: m.reply });
  }
  return out;
}

function startsWith(messages: readonly TraceMessage[], prefix: readonly TraceMessage[]): boolean {
  if (prefix.length > messages.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = messages[i];
    const b = prefix[i];
    if (a !== b && (a.role !== b.role || a.content !== b.content)) return false;
  }
  return true;
}

function copy(m: TraceMessage): TraceMessage {
  return { role: m.role, content: m.content };
}
