/**
 * `grep`: the lines of a text that match a Python-style regex, in order.
 *
 * @module
 */
import { splitLines } from "./_lines.ts";
import { compileLinePattern } from "./_python_regex.ts";
import type { OpArgs } from "../protocol/ops.ts";
import type { OpImpl } from "./types.ts";

/**
 * Matching lines joined with "\n"; with `context_lines` N, N lines around each match as in
 * `grep -C N`, with `--` between groups that are not adjacent. No pattern can hang: see
 * docs/reference/ops.md for the regex dialect.
 *
 * @example `{"op": "grep", "args": {"input": "context", "pattern": "(?i)timed? ?out"}}`
 */
export const grep: OpImpl<"grep"> = (args, vars) => {
  const pieces = vars.textPieces(args.input, "input");
  if (args.context_lines > 0) {
    const regex = patternOf(args);
    return withContext(vars.text(args.input, "input"), regex, args.context_lines);
  }
  return mergeGrepParts([grepPart(args, pieces)]);
};

/**
 * grep without context lines over one line-aligned part of a text: each matching line after a
 * "\n". Parts of a text, merged in order by `mergeGrepParts`, give grep of the whole text (a
 * match never crosses a line), so an executor may scan the parts in parallel.
 */
export function grepPart(args: OpArgs<"grep">, pieces: Iterable<string>): string {
  const regex = patternOf(args);
  // Each piece's lines are joined into a new string, so the result holds copies, not slices
  // that would keep every piece of a big file alive.
  const found: string[] = [];
  for (const piece of pieces) {
    const ranges = matchingLineRanges(piece, regex);
    if (ranges.length > 0) {
      found.push(["", ...ranges.map(([s, e]) => piece.slice(s, e))].join("\n"));
    }
  }
  return found.join("");
}

/** grep's result from its parts' results, in order. */
export function mergeGrepParts(parts: string[]): string {
  return parts.join("").slice(1);
}

function patternOf(args: OpArgs<"grep">): RegExp {
  return compileLinePattern(args.pattern, {
    ignoreCase: args.ignore_case,
    op: "grep",
    arg: "pattern",
  }).regex;
}

/** [start, end) of each line of `text` that `regex` (flags gm) matches, in order. */
export function matchingLineRanges(text: string, regex: RegExp): [number, number][] {
  const ranges: [number, number][] = [];
  const last = text.endsWith("\n") ? text.length - 1 : text.length;
  regex.lastIndex = 0;
  while (regex.lastIndex <= last && text.length > 0) {
    const m = regex.exec(text);
    if (m === null) break;
    // A match that starts on the "\n" ending a line belongs to that line (empty matches at "$").
    if (m.index > last) break;
    const start = text.lastIndexOf("\n", m.index - 1) + 1;
    let end = text.indexOf("\n", m.index);
    if (end === -1) end = text.length;
    ranges.push([start, end]);
    regex.lastIndex = end + 1;
  }
  return ranges;
}

function withContext(text: string, regex: RegExp, n: number): string {
  const all = splitLines(text);
  const groups: [number, number][] = [];
  all.forEach((line, i) => {
    regex.lastIndex = 0;
    if (!regex.test(line)) return;
    const [from, to] = [Math.max(0, i - n), Math.min(all.length - 1, i + n)];
    const prev = groups[groups.length - 1];
    if (prev && from <= prev[1] + 1) prev[1] = Math.max(prev[1], to);
    else groups.push([from, to]);
  });
  return groups.map(([from, to]) => all.slice(from, to + 1).join("\n")).join("\n--\n");
}
