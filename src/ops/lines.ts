/**
 * `lines`: lines start..end of a text (1-based, inclusive).
 *
 * @module
 */
import { countLines, skipLines } from "./_lines.ts";
import type { OpImpl } from "./types.ts";

/**
 * Lines start..end, 1-based and inclusive; negative numbers count from the end (-1 is the last
 * line); out-of-range numbers clamp. The result is the exact text of those lines, each with its
 * own "\n" (the input's last line may have none); for 1 ≤ start ≤ end, like Python's
 * `"".join(text.splitlines(keepends=True)[start - 1:end])` with only "\n" ending a line. So
 * `count` (mode `lines`) of the result is the number of lines taken.
 *
 * @example `{"op": "lines", "args": {"input": "context", "start": 1, "end": 20}}` → the first 20 lines
 */
export const lines: OpImpl<"lines"> = (args, vars) => {
  const text = vars.text(args.input, "input");
  const n = countLines(text);
  const index = (i: number) => (i < 0 ? n + i + 1 : i);
  const start = Math.max(1, index(args.start));
  const end = Math.min(n, args.end === undefined ? n : index(args.end));
  if (end < start) return "";
  const from = skipLines(text, 0, start - 1);
  return text.slice(from, skipLines(text, from, end - start + 1));
};
