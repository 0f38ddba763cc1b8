import fc from "fast-check";
import { assertEquals, assertThrows } from "../../tests/_assert.ts";
import type { CallRecord, ModelCallRecord } from "../protocol/trace.ts";
import { fullMessages, recordMessages, type TraceMessage } from "./call_messages.ts";

function record(call: CallRecord, messages: TraceMessage[], reply: string): void {
  call.model_calls.push({
    model: "m",
    prompt_tokens: 0,
    completion_tokens: 0,
    cost_usd: 0,
    latency_ms: 0,
    cached: false,
    retries: 0,
    ...recordMessages(call, messages, reply),
    reply,
  });
}

const message = fc.record({
  role: fc.constantFrom("system", "user", "assistant"),
  content: fc.string(),
});

Deno.test("recorded messages always rebuild the request, whether it continues the last one or not", () => {
  // Each request either continues the previous conversation (its messages, its reply, new ones)
  // or starts over (as a forced final question or a new system prompt would).
  const step = fc.record({
    cont: fc.boolean(),
    extra: fc.array(message, { maxLength: 3 }),
    reply: fc.string(),
  });
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 3 }),
      fc.array(step, { maxLength: 8 }),
      (first, steps) => {
        const call = { model_calls: [] } as unknown as CallRecord;
        const sent: TraceMessage[][] = [];
        let last: TraceMessage[] = first;
        let lastReply = "r0";
        record(call, first, lastReply);
        sent.push(first);
        for (const s of steps) {
          const next = s.cont
            ? [...last, { role: "assistant", content: lastReply }, ...s.extra]
            : s.extra;
          record(call, next, s.reply);
          sent.push(next);
          [last, lastReply] = [next, s.reply];
        }
        const plain = (m: TraceMessage[]) => m.map(({ role, content }) => ({ role, content }));
        sent.forEach((m, i) => assertEquals(fullMessages(call.model_calls, i), plain(m)));
      },
    ),
  );
});

Deno.test("a continued conversation records only the new messages", () => {
  const call = { model_calls: [] } as unknown as CallRecord;
  const system = { role: "system", content: "protocol ".repeat(1000) };
  let messages: TraceMessage[] = [system, { role: "user", content: "q" }];
  for (let i = 0; i < 50; i++) {
    record(call, messages, `reply ${i}`);
    messages = [...messages, { role: "assistant", content: `reply ${i}` }, {
      role: "user",
      content: `r${i}`,
    }];
  }
  assertEquals(call.model_calls[0].messages.length, 2);
  for (const m of call.model_calls.slice(1)) assertEquals(m.messages.length, 1);
  assertEquals(call.model_calls.filter((m) => m.messages.includes(system)).length, 0, "copies");
  assertEquals(JSON.stringify(call.model_calls).split("protocol protocol").length < 1100, true);
});

Deno.test("a reference to a call that is not earlier is refused", () => {
  const calls = [{ messages: [], reply: "", extends: 0 }] as unknown as ModelCallRecord[];
  assertThrows(() => fullMessages(calls, 0), RangeError, "not an earlier call");
});
