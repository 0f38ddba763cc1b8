/**
 * `slice`: characters [start, end) of a text, with Python's slicing rules.
 *
 * @module
 */
import type { OpImpl } from "./types.ts";

/**
 * Characters [start, end); negative indices count from the end; out-of-range indices clamp.
 *
 * @example `{"op": "slice", "args": {"input": "context", "start": -100}}` → the last 100 characters
 */
export const slice: OpImpl<"slice"> = (args, vars) => {
  const text = vars.text(args.input, "input");
  const len = text.length;
  const at = (i: number) => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));
  const start = at(args.start);
  const end = args.end === undefined ? len : at(args.end);
  return end <= start ? "" : text.slice(start, end);
};
