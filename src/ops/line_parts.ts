/**
 * Ops whose result over a text is a merge of their results over its line-aligned parts, so an
 * executor may scan a big context file's parts in parallel and get the same bytes. Each op's
 * spec says whether it splits (`lineParts`); this reads the registry's copy, which loads no spec
 * (no zod), so a scan worker starts fast.
 *
 * @module
 */
import type { Value } from "../protocol/value.ts";
import type { OperationOf, OpName } from "./operation.ts";
import { LINE_PARTS } from "./registry.ts";

/** How an operation splits over line-aligned parts of its `input` text. */
export interface OperationParts {
  /** The op's result over one part (a structured-clonable value, sent back by a worker). */
  part(pieces: Iterable<string>): string | number;
  /** The op's result from its parts' results, in text order. */
  merge(parts: (string | number)[]): Value;
}

/**
 * How `op` splits over line-aligned parts of the text it reads, or undefined when it does not
 * (every op but grep and count, and grep with context lines, which needs its neighbours).
 *
 * @example
 * ```ts
 * import { lineParts } from "./line_parts.ts";
 * const op = { op: "count", args: { input: "t", mode: "lines", ignore_case: false } } as const;
 * const parts = lineParts(op)!;
 * parts.merge([parts.part(["a\n"]), parts.part(["b\n"])]); // "2", as count on "a\nb\n"
 * ```
 */
export function lineParts<K extends OpName>(op: OperationOf<K>): OperationParts | undefined {
  const parts = LINE_PARTS[op.op]?.(op.args);
  if (parts === undefined) return undefined;
  // The results merged are those of this op's own `part`, so of the type its `merge` takes.
  const merge = parts.merge as (results: (string | number)[]) => Value;
  return { part: (pieces) => parts.part(op.args, pieces), merge };
}
