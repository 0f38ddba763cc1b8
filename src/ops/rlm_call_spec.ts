/**
 * The spec of `rlm_call` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  query: nonEmptyText,
  context: VarNameSchema,
});

/** `rlm_call`: one sub-call on a context. */
export const rlmCallSpec: OpSpec<"rlm_call", typeof args> = {
  name: "rlm_call",
  order: 90,
  args,
  effect: "sub-call",
  variableArgs: ["context"],
  prompt: [{
    needs: "sub-call",
    line:
      "rlm_call {query, context} -> text: a sub-model answers query about one text variable (commit only)",
  }],
  docs: [{
    table: "effects",
    args: "`query`, `context`",
    result: "text: a sub-call's answer to `query` about the text variable `context`",
  }],
  example: {
    op: "rlm_call",
    args: { query: "Which service fails first?", context: "errors" },
    bind: "first",
  },
};
