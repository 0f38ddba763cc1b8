import fc from "fast-check";
import { assertEquals } from "../../tests/_assert.ts";
import { linePieces } from "../../tests/_line_pieces.ts";
import type { Binding } from "../protocol/value.ts";
import { describeBinding, describeValue } from "./preview.ts";

Deno.test("a text read in pieces is described as the same text in memory", () => {
  const text = fc.string({ unit: fc.constantFrom("a", "\n", "é", "😀", " "), maxLength: 200 });
  fc.assert(fc.property(text, fc.array(fc.boolean()), (t, cuts) => {
    const pieces = linePieces(t, cuts);
    const binding: Binding = {
      get value(): string {
        throw new Error("the whole text must not be built");
      },
      hash: "",
      pieces: () => pieces,
    };
    assertEquals(describeBinding(binding), describeValue(t));
  }));
});

Deno.test("line counts are exact past a million lines", () => {
  assertEquals(describeValue("x\n".repeat(1_200_000)), "text, 2,400,000 chars, 1,200,000 lines");
  assertEquals(describeValue(""), "text, 0 chars, 0 lines");
  assertEquals(describeValue("a\nb"), "text, 3 chars, 2 lines");
});
