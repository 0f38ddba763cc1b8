/**
 * The spec of `chunk` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { posInt } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  input: VarNameSchema,
  n: posInt.max(100_000, "must be at most 100000").optional(),
  size: posInt.optional(),
}).refine(({ n, size }) => (n === undefined) !== (size === undefined), {
  message: 'give exactly one of "n" (number of pieces) or "size" (characters per piece)',
});

/** `chunk`: line-aligned pieces, by count `n` or by maximum `size` in characters. */
export const chunkSpec: OpSpec<"chunk", typeof args> = {
  name: "chunk",
  order: 50,
  args,
  effect: "pure",
  variableArgs: ["input"],
  prompt: [{
    needs: "pure",
    line:
      "chunk {input, n | size} -> list: line-aligned pieces (n pieces, or pieces of at most size chars)",
  }],
  docs: [{
    table: "pure",
    args: "`input`, exactly one of `n` or `size`",
    result:
      'list: pieces that are exact substrings of the input and join (with `""`) to it; each ends after a `\\n` unless a line alone is longer than `size`, which is cut between code points. `size` (code points): every piece at most `size`; cuts are content-defined (see below), so an edit or an append changes only the pieces around it. `n`: at most `n` pieces of about len/n characters, cut at the line end nearest each ideal cut (never inside a line). `""` gives `[]`',
  }],
  example: { op: "chunk", args: { input: "context", n: 8 }, bind: "chunks" },
};
