/**
 * The spec of `lines` (docs/reference/ops.md).
 *
 * @module
 */
import { rangeArgs } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = rangeArgs(1);

/** `lines`: lines start..end, 1-based, inclusive. */
export const linesSpec: OpSpec<"lines", typeof args> = {
  name: "lines",
  order: 20,
  args,
  effect: "pure",
  variableArgs: ["input"],
  prompt: [{
    needs: "pure",
    line:
      "lines {input, start=1, end} -> text: lines start..end (1-based, inclusive; -1 is the last line)",
  }],
  docs: [{
    table: "pure",
    args: "`input`, `start` (1), `end` (last)",
    result:
      "text: lines start..end, 1-based, inclusive, as the exact text of the input: each line keeps its own `\\n` (the input's last line may have none), so `count` of the result is the number of lines taken; negative numbers count from the end (-1 is the last line); out-of-range numbers clamp",
  }],
  example: { op: "lines", args: { input: "context", start: 1, end: 20 }, bind: "head" },
};
