/**
 * The operations of the DSL and the schema of each one's arguments (docs/reference/ops.md).
 *
 * Args named `input`, `inputs` and `context` name variables; every other arg is a literal.
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "./value.ts";

const int = z.number().int("must be an integer");
const nonNegInt = int.min(0, "must be 0 or more");
const posInt = int.min(1, "must be 1 or more");
const text = z.string();

/** `slice`: characters [start, end); negative indices count from the end. */
export const SliceArgsSchema = z.strictObject({
  input: VarNameSchema,
  start: int.default(0),
  end: int.optional(),
});
/** `lines`: lines start..end, 1-based, inclusive. */
export const LinesArgsSchema = z.strictObject({
  input: VarNameSchema,
  start: int.default(1),
  end: int.optional(),
});
/** `grep`: matching lines, Python-style regex. */
export const GrepArgsSchema = z.strictObject({
  input: VarNameSchema,
  pattern: text.min(1, "must not be empty"),
  ignore_case: z.boolean().default(false),
  context_lines: nonNegInt.max(1000, "must be at most 1000").default(0),
});
/** `count`: an integer as text. */
export const CountArgsSchema = z.strictObject({
  input: VarNameSchema,
  mode: z.enum(["lines", "chars", "words", "matches"]).default("lines"),
  pattern: text.min(1, "must not be empty").optional(),
  ignore_case: z.boolean().default(false),
});
/** `chunk`: line-aligned pieces, by count `n` or by maximum `size` in characters. */
export const ChunkArgsSchema = z.strictObject({
  input: VarNameSchema,
  n: posInt.max(100_000, "must be at most 100000").optional(),
  size: posInt.optional(),
});
/** `split`: pieces between occurrences of a literal delimiter. */
export const SplitArgsSchema = z.strictObject({
  input: VarNameSchema,
  delimiter: text.min(1, "must not be empty"),
});
/** `combine`: merge items by a strategy; any strategy not built in is a prompt to a sub-model. */
export const CombineArgsSchema = z.strictObject({
  inputs: z.array(VarNameSchema).min(1, "must name at least one variable"),
  strategy: text.min(1, "must not be empty").default("concat"),
});
/** `eval`: Python in the WebAssembly sandbox. */
export const EvalArgsSchema = z.strictObject({
  code: text.min(1, "must not be empty"),
  inputs: z.array(VarNameSchema).optional(),
});
/** `rlm_call`: one sub-call on a context. */
export const RlmCallArgsSchema = z.strictObject({
  query: text.min(1, "must not be empty"),
  context: VarNameSchema,
});
/** `map`: one sub-call per item of a list. */
export const MapArgsSchema = z.strictObject({
  prompt: text.min(1, "must not be empty"),
  input: VarNameSchema,
});

/** Every op's argument schema, by op name. */
export const OP_ARGS = {
  slice: SliceArgsSchema,
  lines: LinesArgsSchema,
  grep: GrepArgsSchema,
  count: CountArgsSchema,
  chunk: ChunkArgsSchema,
  split: SplitArgsSchema,
  combine: CombineArgsSchema,
  eval: EvalArgsSchema,
  rlm_call: RlmCallArgsSchema,
  map: MapArgsSchema,
} as const;

/** The name of an op. */
export type OpName = keyof typeof OP_ARGS;
/** All op names, in the order of docs/reference/ops.md. */
export const OP_NAMES = Object.keys(OP_ARGS) as OpName[];
/** The validated args of op `K` (variable args still hold names). */
export type OpArgs<K extends OpName> = z.output<(typeof OP_ARGS)[K]>;

export { BUILTIN_COMBINE_STRATEGIES } from "./combine_strategies.ts";
import { BUILTIN_COMBINE_STRATEGIES } from "./combine_strategies.ts";

/** Arg names that name variables rather than hold literals. */
export const VARIABLE_ARGS = ["input", "inputs", "context"] as const;

/** One operation as written by a model or in a plan, before its args are validated. */
export const RawOperationSchema = z.object({
  op: z.string().min(1, "must name an op"),
  args: z.record(z.string(), z.unknown()).default({}),
  bind: VarNameSchema.optional(),
});
/** One operation as written, before its args are validated. */
export type RawOperation = z.infer<typeof RawOperationSchema>;

/** A validated operation: a known op with args of the right shape. */
export type Operation = {
  [K in OpName]: { op: K; args: OpArgs<K>; bind?: string };
}[OpName];

/** Whether an op (with these args) needs a model: sub-call ops and prompt-strategy `combine`. */
export function isSubCall(op: Operation): boolean {
  if (op.op === "rlm_call" || op.op === "map") return true;
  if (op.op === "combine") {
    return !(BUILTIN_COMBINE_STRATEGIES as readonly string[]).includes(op.args.strategy);
  }
  return false;
}
