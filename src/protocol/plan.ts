/**
 * Plans: a commit step without `mode` (docs/reference/cli.md), as read by `rlm exec`.
 *
 * @module
 */
import { z } from "zod";
import { RawOperationSchema } from "./ops.ts";
import { VarNameSchema } from "./value.ts";

/** A plan as written: operations (args not yet validated) and the bind to output. */
export const RawPlanSchema = z.object({
  operations: z.array(RawOperationSchema).min(1, "must hold at least one operation"),
  output: VarNameSchema.optional(),
});
/** A plan as written. */
export type RawPlan = z.infer<typeof RawPlanSchema>;
