/**
 * The steps a model replies with (docs/reference/protocol.md): explore, commit and final.
 *
 * @module
 */
import { z } from "zod";
import { RawOperationSchema } from "./ops.ts";
import { VarNameSchema } from "./value.ts";

/** `explore`: one operation, run at once. */
export const ExploreStepSchema = z.object({
  mode: z.literal("explore"),
  operation: RawOperationSchema,
});
/** `commit`: a plan whose binds persist; `output` defaults to the last bind. */
export const CommitStepSchema = z.object({
  mode: z.literal("commit"),
  operations: z.array(RawOperationSchema).min(1, "must hold at least one operation"),
  output: VarNameSchema.optional(),
});
/** `final`: the answer, as a scalar or as the value of a variable. */
export const FinalStepSchema = z.union([
  z.object({
    mode: z.literal("final"),
    answer: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  }),
  z.object({ mode: z.literal("final"), answer_var: VarNameSchema }),
]);

/** Any step. */
export const StepSchema = z.union([ExploreStepSchema, CommitStepSchema, FinalStepSchema]);
/** Any step. */
export type Step = z.infer<typeof StepSchema>;
/** An explore step. */
export type ExploreStep = z.infer<typeof ExploreStepSchema>;
/** A commit step. */
export type CommitStep = z.infer<typeof CommitStepSchema>;
/** A final step. */
export type FinalStep = z.infer<typeof FinalStepSchema>;
