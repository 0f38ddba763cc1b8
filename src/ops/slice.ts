/**
 * `slice`: characters [start, end) of a text, with Python's slicing rules.
 *
 * @module
 */
import { advance, codePointLength, isSingleUnit } from "./_code_points.ts";
import type { OpImpl } from "./types.ts";

/**
 * Characters [start, end), as Python's `text[start:end]`: characters are Unicode code points
 * (an emoji is one, never cut in two); negative indices count from the end; out-of-range
 * indices clamp.
 *
 * @example `{"op": "slice", "args": {"input": "context", "start": -100}}` → the last 100 characters
 */
export const slice: OpImpl<"slice"> = (args, vars) => {
  const text = vars.text(args.input, "input");
  const single = isSingleUnit(text);
  const len = single ? text.length : codePointLength(text);
  const at = (i: number) => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));
  const start = at(args.start);
  const end = args.end === undefined ? len : at(args.end);
  if (end <= start) return "";
  if (single) return text.slice(start, end);
  const from = advance(text, 0, start);
  return text.slice(from, advance(text, from, end - start));
};
