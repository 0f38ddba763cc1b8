/**
 * Validate an operation as a model or a plan wrote it, with messages that name the op, the arg
 * and the problem.
 *
 * @module
 */
import type { z } from "zod";
import { type RawOperation, RawOperationSchema } from "../protocol/ops.ts";
import { VarNameSchema } from "../protocol/value.ts";
import { OP_SPECS } from "./_op_specs.ts";
import { didYouMean } from "./_suggest.ts";
import { OpError } from "./op_error.ts";
import type { Operation, OpName } from "./operation.ts";

/** Every op's name, in the specs' order (the order of docs/reference/ops.md). */
const OP_NAMES = Object.keys(OP_SPECS) as OpName[];

/**
 * Parse `raw` (`{op, args, bind?}`) into a typed `Operation`, filling in defaults.
 * Throws `OpError` for an unknown op, an unknown, missing or mistyped arg, args that do not go
 * together (the op spec's refinements), or a bad bind.
 *
 * @example
 * ```ts
 * parseOperation({ op: "grep", args: { input: "context", pattern: "ERROR" }, bind: "e" });
 * // { op: "grep", args: { input: "context", pattern: "ERROR", ignore_case: false, context_lines: 0 }, bind: "e" }
 * ```
 */
export function parseOperation(raw: unknown): Operation {
  const quick = plainShape(raw);
  const shape = quick ? { success: true as const, data: quick } : RawOperationSchema.safeParse(raw);
  if (!shape.success) {
    const opName = typeof (raw as { op?: unknown })?.op === "string"
      ? (raw as { op: string }).op
      : "operation";
    const issue = shape.error.issues[0];
    const field = issue.path.length ? String(issue.path[0]) : undefined;
    if (issue.path.length === 0) {
      throw new OpError(
        opName,
        undefined,
        'must be an object like {"op": "grep", "args": {...}, "bind": "name"}',
      );
    }
    const value = field === undefined ? undefined : (raw as Record<string, unknown>)[field];
    throw new OpError(opName, undefined, `"${field}" ${describeIssue(issue, value)}`);
  }
  const { op, args, bind } = shape.data;
  if (!(OP_NAMES as string[]).includes(op)) {
    throw new OpError(
      op,
      undefined,
      `unknown op${didYouMean(op, OP_NAMES)}; ops: ${OP_NAMES.join(", ")}`,
    );
  }
  const name = op as OpName;
  const schema = OP_SPECS[name].args;
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw argError(name, parsed.error.issues, Object.keys(schema.shape), args);
  // The schema of op `name` gave these args; TypeScript cannot pair the two through the lookup.
  return { op: name, args: parsed.data, bind } as Operation;
}

/**
 * `RawOperationSchema`'s result for the common well-formed case, without zod (a plan of 100 000
 * operations spent most of its parse there); undefined sends anything else through the schema,
 * for its error message.
 */
function plainShape(raw: unknown): RawOperation | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const { op, args = {}, bind } = raw as Record<string, unknown>;
  if (typeof op !== "string" || op === "") return undefined;
  if (typeof args !== "object" || args === null || Array.isArray(args)) return undefined;
  if (bind !== undefined && !VarNameSchema.safeParse(bind).success) return undefined;
  return { op, args: { ...(args as Record<string, unknown>) }, bind: bind as string | undefined };
}

function argError(
  op: OpName,
  issues: z.core.$ZodIssue[],
  known: string[],
  args: Record<string, unknown>,
): OpError {
  const issue = issues[0];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    return new OpError(
      op,
      key,
      `unknown arg${didYouMean(key, known)}; ${op} takes ${known.join(", ")}`,
    );
  }
  const arg = issue.path.length ? String(issue.path[0]) : undefined;
  // A refinement of the whole args says what combination is wrong (chunk's "exactly one of").
  if (arg === undefined && issue.code === "custom") {
    return new OpError(op, undefined, issue.message);
  }
  if (arg === undefined) return new OpError(op, undefined, `args ${describeIssue(issue, args)}`);
  return new OpError(op, arg, describeIssue(issue, args[arg]));
}

function describeIssue(issue: z.core.$ZodIssue, got: unknown): string {
  if (issue.code === "invalid_type") {
    if (got === undefined) return "is required";
    if (issue.path.length > 1) {
      return `item ${String(issue.path[1])} must be ${article(issue.expected)}`;
    }
    return `must be ${article(issue.expected)}, got ${kindOf(got)} ${preview(got)}`;
  }
  if (issue.code === "invalid_value") {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message;
}

function article(expected: string): string {
  return {
    string: "a string",
    number: "a number",
    boolean: "true or false",
    array: "a list",
    object: "an object",
  }[
    expected
  ] ?? expected;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function preview(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
