/**
 * Validate an operation as a model or a plan wrote it, with messages that name the op, the arg
 * and the problem.
 *
 * @module
 */
import type { z } from "zod";
import {
  OP_ARGS,
  OP_NAMES,
  type Operation,
  type OpName,
  type RawOperation,
  RawOperationSchema,
} from "../protocol/ops.ts";
import { VarNameSchema } from "../protocol/value.ts";
import { didYouMean } from "./_suggest.ts";
import { OpError } from "./op_error.ts";

/**
 * Parse `raw` (`{op, args, bind?}`) into a typed `Operation`, filling in defaults.
 * Throws `OpError` for an unknown op, an unknown, missing or mistyped arg, or a bad bind.
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
  const schema = OP_ARGS[name];
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw argError(name, parsed.error.issues, Object.keys(schema.shape), args);
  const operation = { op: name, args: parsed.data, bind } as Operation;
  checkCombinations(operation);
  return operation;
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

/**
 * The variables `op` reads: its `input`, `inputs` and `context` args; for `eval` without
 * `inputs`, every variable in `allNames`.
 */
export function referencedVars(op: Operation, allNames: readonly string[]): string[] {
  const args = op.args as Record<string, unknown>;
  if (readsEveryVar(op)) return [...allNames];
  const names: string[] = [];
  for (const key of ["input", "context"]) {
    if (typeof args[key] === "string") names.push(args[key] as string);
  }
  if (Array.isArray(args.inputs)) {
    for (const name of args.inputs as string[]) names.push(name);
  }
  return names.length < 2 ? names : [...new Set(names)];
}

/** Whether `op` reads every variable (`eval` without `inputs`), so `referencedVars` needs them all. */
export function readsEveryVar(op: Operation): boolean {
  return op.op === "eval" && op.args.inputs === undefined;
}

function checkCombinations(op: Operation): void {
  if (op.op === "chunk") {
    const { n, size } = op.args;
    if ((n === undefined) === (size === undefined)) {
      throw new OpError(
        "chunk",
        undefined,
        'give exactly one of "n" (number of pieces) or "size" (characters per piece)',
      );
    }
  }
  if (op.op === "count") {
    if (op.args.mode === "matches" && op.args.pattern === undefined) {
      throw new OpError("count", "pattern", 'is required with mode "matches"');
    }
    if (op.args.mode !== "matches" && op.args.pattern !== undefined) {
      throw new OpError(
        "count",
        "pattern",
        `only applies to mode "matches" (mode is "${op.args.mode}")`,
      );
    }
  }
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
