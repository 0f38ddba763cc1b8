/**
 * The spec of `split` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  input: VarNameSchema,
  delimiter: nonEmptyText,
});

/** `split`: pieces between occurrences of a literal delimiter. */
export const splitSpec: OpSpec<"split", typeof args> = {
  name: "split",
  order: 60,
  args,
  effect: "pure",
  variableArgs: ["input"],
  prompt: [{
    needs: "pure",
    line: "split {input, delimiter} -> list: pieces between a literal delimiter",
  }],
  docs: [{
    table: "pure",
    args: "`input`, `delimiter`",
    result:
      "list: the pieces between occurrences of the literal delimiter; joining them with it gives the input",
  }],
  example: { op: "split", args: { input: "context", delimiter: "\n\n" }, bind: "paragraphs" },
};
