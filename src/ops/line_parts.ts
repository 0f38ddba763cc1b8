/**
 * Ops whose result over a text is a merge of their results over its line-aligned parts, so an
 * executor may scan a big context file's parts in parallel and get the same bytes.
 *
 * @module
 */
import type { Operation } from "../protocol/ops.ts";
import type { Value } from "../protocol/value.ts";
import { countPart, mergeCountParts } from "./count.ts";
import { grepPart, mergeGrepParts } from "./grep.ts";

/** How an op splits over line-aligned parts of its `input` text. */
export interface LineParts {
  /** The op's result over one part (a structured-clonable value, sent back by a worker). */
  part(op: Operation, pieces: Iterable<string>): string | number;
  /** The op's result from its parts' results, in text order. */
  merge(parts: (string | number)[]): Value;
}

const GREP: LineParts = {
  part: (op, pieces) => grepPart(op.args as never, pieces),
  merge: (parts) => mergeGrepParts(parts as string[]),
};

const COUNT: LineParts = {
  part: (op, pieces) => countPart(op.args as never, pieces),
  merge: (parts) => mergeCountParts(parts as number[]),
};

/**
 * How `op` splits over line-aligned parts of the text it reads, or undefined when it does not
 * (every other op, and grep with context lines, which needs its neighbours).
 *
 * @example
 * ```ts
 * const parts = lineParts(op); // grep or count
 * parts?.merge([parts.part(op, ["a\n"]), parts.part(op, ["b\n"])]); // === the op on "a\nb\n"
 * ```
 */
export function lineParts(op: Operation): LineParts | undefined {
  if (op.op === "grep") return op.args.context_lines === 0 ? GREP : undefined;
  if (op.op === "count") return COUNT;
  return undefined;
}
