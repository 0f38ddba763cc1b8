/**
 * The spec of `eval` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  code: nonEmptyText,
  inputs: z.array(VarNameSchema).optional(),
});

/** `eval`: Python in the WebAssembly sandbox. */
export const evalSpec: OpSpec<"eval", typeof args> = {
  name: "eval",
  order: 80,
  implementation: "evalCode",
  args,
  effect: "sandbox",
  variableArgs: ["inputs"],
  readsEveryVar: (args) => args.inputs === undefined,
  seesNames: true,
  prompt: [{
    needs: "sandbox",
    line:
      "eval {code, inputs: [names]} -> text: run Python (no files, no network); variables are globals (text is str, list is list[str]); the result is stdout, or the variable `result` if set",
  }],
  docs: [{
    table: "effects",
    args: "`code`, `inputs` (default: all variables)",
    result:
      "text: Python's stdout, or the `result` variable (text as-is, anything else as JSON). Runs only in the WebAssembly sandbox; unavailable with `--no-eval`",
  }],
  example: {
    op: "eval",
    args: { code: "result = len(set(context.split()))", inputs: ["context"] },
    bind: "distinct",
  },
};
