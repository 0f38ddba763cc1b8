/**
 * The spec of `slice` (docs/reference/ops.md).
 *
 * @module
 */
import { rangeArgs } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = rangeArgs(0);

/** `slice`: characters [start, end); negative indices count from the end. */
export const sliceSpec: OpSpec<"slice", typeof args> = {
  name: "slice",
  order: 10,
  args,
  effect: "pure",
  variableArgs: ["input"],
  prompt: [{
    needs: "pure",
    line:
      "slice {input, start=0, end} -> text: characters [start, end); negative counts from the end",
  }],
  docs: [{
    table: "pure",
    args: "`input`, `start` (0), `end` (length)",
    result:
      "text: characters [start, end) as Python's `text[start:end]`: characters are Unicode code points (an emoji is one character and is never cut in two); negative indices count from the end, out-of-range ones clamp",
  }],
  example: { op: "slice", args: { input: "context", start: -100 }, bind: "tail" },
};
