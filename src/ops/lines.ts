/**
 * `lines`: lines start..end of a text (1-based, inclusive).
 *
 * @module
 */
import { splitLines } from "./_lines.ts";
import type { OpImpl } from "./types.ts";

/**
 * Lines start..end, 1-based and inclusive; negative numbers count from the end (-1 is the last
 * line); out-of-range numbers clamp. The lines are joined with "\n".
 *
 * @example `{"op": "lines", "args": {"input": "context", "start": 1, "end": 20}}` → the first 20 lines
 */
export const lines: OpImpl<"lines"> = (args, vars) => {
  const all = splitLines(vars.text(args.input, "input"));
  const n = all.length;
  const index = (i: number) => (i < 0 ? n + i + 1 : i);
  const start = Math.max(1, index(args.start));
  const end = Math.min(n, args.end === undefined ? n : index(args.end));
  return end < start ? "" : all.slice(start - 1, end).join("\n");
};
