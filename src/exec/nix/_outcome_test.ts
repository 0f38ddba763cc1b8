import fc from "fast-check";
import { assertEquals } from "../../../tests/_assert.ts";
import { OpError } from "../../ops/op_error.ts";
import { encodeErrorOutcome, ERROR_MAGIC } from "./_builder_entry.ts";
import { writeOpError } from "./_builder_io.ts";
import { decodeOutcome, opErrorOf } from "./_outcome.ts";

/** The op error `bytes` hold (fails the test if they hold anything else). */
function failureIn(bytes: Uint8Array): OpError {
  const outcome = decodeOutcome(bytes);
  if (outcome?.ok !== false) throw new Error(`Not an op error: ${JSON.stringify(outcome)}`);
  return opErrorOf(outcome.error);
}

const text = fc.string({ unit: "binary" });
const failure = fc.record({ op: text, arg: fc.option(text, { nil: undefined }), reason: text });

Deno.test("an op error a builder writes is read back as the same OpError, whatever its reason holds", async () => {
  const out = await Deno.makeTempFile({ prefix: "rlm-outcome-test-" });
  const before = Deno.env.get("out");
  Deno.env.set("out", out);
  try {
    await fc.assert(
      fc.asyncProperty(failure, async ({ op, arg, reason }) => {
        const thrown = new OpError(op, arg, reason);
        await writeOpError(thrown);
        const read = failureIn(await Deno.readFile(out));
        assertEquals([read.message, read.op, read.arg], [thrown.message, op, arg]);
      }),
    );
    // A reason with ":" and newlines, as a regex engine's message may have.
    await writeOpError(new OpError("grep", "pattern", 'invalid regex "a:(": unclosed\ngroup'));
    const outcome = decodeOutcome(await Deno.readFile(out));
    assertEquals(outcome, {
      ok: false,
      error: { op: "grep", arg: "pattern", reason: 'invalid regex "a:(": unclosed\ngroup' },
    });
  } finally {
    if (before === undefined) Deno.env.delete("out");
    else Deno.env.set("out", before);
    await Deno.remove(out);
  }
});

Deno.test("an op error output without its fields (an older builder's message, corrupt JSON) is no outcome", () => {
  const bytes = (s: string) => new TextEncoder().encode(ERROR_MAGIC + s);
  assertEquals(decodeOutcome(bytes("grep: bad pattern")), undefined);
  assertEquals(decodeOutcome(bytes('{"op":"grep"}')), undefined);
  assertEquals(decodeOutcome(bytes('{"op":"grep","arg":3,"reason":"x"}')), undefined);
  assertEquals(decodeOutcome(bytes("null")), undefined);
  assertEquals(
    failureIn(encodeErrorOutcome({ op: "count", reason: "a: b" })).message,
    "count: a: b",
  );
});
