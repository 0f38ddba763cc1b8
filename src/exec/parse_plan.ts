/**
 * Validate a plan (`rlm exec`, docs/reference/cli.md) once, at the boundary: every operation,
 * every bind, the output.
 *
 * @module
 */
import { OpError } from "../ops/op_error.ts";
import { parseOperation } from "../ops/parse_operation.ts";
import type { Operation } from "../ops/operation.ts";
import { z } from "zod";
import { RawPlanSchema } from "../protocol/plan.ts";
import { VarNameSchema } from "../protocol/value.ts";

// The plan's shape, with each operation left to parseOperation: checking operations here too
// doubled the cost of parsing a plan of 100 000 operations.
const PlanShapeSchema = RawPlanSchema.extend({
  operations: z.array(z.unknown()).min(1, "must hold at least one operation"),
});

/** A validated plan: operations in order, and the bind whose value is the output. */
export interface Plan {
  operations: Operation[];
  /** The bind to output; defaults to the last operation's bind. */
  output?: string;
}

/**
 * Check the shape of a plan and of each operation's args. Throws `OpError` whose message
 * says which operation is wrong and why (`operation 2 (grep): arg "pattern": ...`).
 * Variables are checked when the plan runs, since earlier steps may have bound them.
 */
export function parsePlan(raw: unknown): Plan {
  const shape = PlanShapeSchema.safeParse(raw);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const where = issue.path.length > 0 ? `"${issue.path.join(".")}"` : "the plan";
    const reason = issue.path.length === 0 && issue.code === "invalid_type"
      ? 'must be a JSON object like {"operations": [...], "output": "name"}'
      : issue.message;
    throw new OpError("plan", undefined, `${where}: ${reason}`);
  }
  const operations = shape.data.operations.map((op, i) => {
    try {
      return parseOperation(op);
    } catch (error) {
      throw new OpError(`operation ${i + 1}`, undefined, messageOf(error), { cause: error });
    }
  });
  const output = shape.data.output;
  if (output !== undefined) VarNameSchema.parse(output);
  return { operations, output };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
