/**
 * An operation as a model or a plan writes it, before its op and args are checked. The ops and
 * their args are described by the op specs (`src/ops/*_spec.ts`, docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "./value.ts";

/** One operation as written by a model or in a plan, before its args are validated. */
export const RawOperationSchema = z.object({
  op: z.string().min(1, "must name an op"),
  args: z.record(z.string(), z.unknown()).default({}),
  bind: VarNameSchema.optional(),
});
/** One operation as written, before its args are validated. */
export type RawOperation = z.infer<typeof RawOperationSchema>;
