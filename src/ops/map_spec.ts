/**
 * The spec of `map` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText } from "./_arg_types.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  prompt: nonEmptyText,
  input: VarNameSchema,
});

/** `map`: one sub-call per item of a list. */
export const mapSpec: OpSpec<"map", typeof args> = {
  name: "map",
  order: 100,
  args,
  effect: "sub-call",
  variableArgs: ["input"],
  prompt: [{
    needs: "sub-call",
    line:
      "map {prompt, input} -> list: a sub-model answers prompt about each item of a list, in parallel (commit only)",
  }],
  docs: [{
    table: "effects",
    args: "`prompt`, `input` (a list)",
    result: "list: one sub-call per item, answers in input order",
  }],
  example: {
    op: "map",
    args: { prompt: "Count the timeouts. Reply with an integer.", input: "chunks" },
    bind: "counts",
  },
};
