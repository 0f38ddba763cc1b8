/**
 * The spec of `count` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText } from "./_arg_types.ts";
import { countLineParts } from "./count.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  input: VarNameSchema,
  mode: z.enum(["lines", "chars", "words", "matches"]).default("lines"),
  pattern: nonEmptyText.optional(),
  ignore_case: z.boolean().default(false),
}).superRefine(({ mode, pattern }, ctx) => {
  if (mode === "matches" && pattern === undefined) {
    ctx.addIssue({ code: "custom", path: ["pattern"], message: 'is required with mode "matches"' });
  }
  if (mode !== "matches" && pattern !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["pattern"],
      message: `only applies to mode "matches" (mode is "${mode}")`,
    });
  }
});

/** `count`: an integer as text. */
export const countSpec: OpSpec<"count", typeof args> = {
  name: "count",
  order: 40,
  args,
  effect: "pure",
  variableArgs: ["input"],
  lineParts: countLineParts,
  prompt: [{
    needs: "pure",
    line:
      "count {input, mode=lines|chars|words|matches, pattern (for matches)} -> text: an integer",
  }],
  docs: [{
    table: "pure",
    args: "`input`, `mode` (`lines`), `pattern` (for `matches`), `ignore_case` (false)",
    result:
      "text: an integer. `lines`: the `\\n`s, plus 1 for a last line without one (`\"\"` has 0); `chars`: Unicode code points, as Python's `len`; `words`: Python's `len(text.split())`; `matches`: the number of `re.finditer(pattern, line)` matches, summed over the lines",
  }],
  example: { op: "count", args: { input: "errors", mode: "lines" }, bind: "n" },
};
