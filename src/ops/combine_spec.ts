/**
 * The spec of `combine` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText } from "./_arg_types.ts";
import { BUILTIN_COMBINE_STRATEGIES } from "./_combine_strategies.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  inputs: z.array(VarNameSchema).min(1, "must name at least one variable"),
  strategy: nonEmptyText.default("concat"),
});

const builtin: readonly string[] = BUILTIN_COMBINE_STRATEGIES;

/** `combine`: merge items by a strategy; any strategy not built in is a prompt to a sub-model. */
export const combineSpec: OpSpec<"combine", typeof args> = {
  name: "combine",
  order: 70,
  args,
  effect: (args) => builtin.includes(args.strategy) ? "pure" : "sub-call",
  variableArgs: ["inputs"],
  prompt: [{
    needs: "pure",
    line:
      "combine {inputs: [names], strategy=concat|sum|vote|json} -> text. sum adds every number found in the items; vote picks the most common item",
  }, {
    needs: "sub-call",
    label: "prompt combine",
    line:
      "combine {inputs, strategy=<an instruction>} -> text: a sub-model merges the items following the instruction (commit only)",
  }],
  docs: [{
    table: "pure",
    args: "`inputs`, `strategy` (`concat`)",
    result:
      "`concat`: items joined with `\\n`. `sum`: every number in every item added exactly (see [What `sum` reads as a number](#what-sum-reads-as-a-number)); printed as an integer when the total is one, else as an exact decimal (`0.1`+`0.2` is `0.3`); no numbers gives `0`. `vote`: the most common item after trimming; a tie goes to the item seen first. `json`: a JSON array; an item whose trimmed text is JSON is embedded as that text, with whitespace outside strings removed and every number exactly as written (`12345678901234567890`, `1e400`); any other item (and an empty one) is embedded as a JSON string of the whole item, untrimmed. Any other strategy is a prompt (see below)",
  }, {
    table: "effects",
    op: "`combine` with a prompt",
    args: "`inputs`, `strategy` = an instruction",
    result:
      "text: a sub-model merges the items (numbered `### Item i of N`) following the instruction",
  }],
  example: { op: "combine", args: { inputs: ["counts"], strategy: "sum" }, bind: "total" },
};
