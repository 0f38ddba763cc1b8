/**
 * `grep`: the lines of a text that match a Python `re` pattern, in order, as GNU grep prints them.
 *
 * @module
 */
import { splitLines } from "./_lines.ts";
import {
  compileLinePattern,
  type LinePattern,
  matchingLineRanges,
  rangeBlocks,
} from "./regex/line_pattern.ts";
import { pauser } from "./regex/pauser.ts";
import type { LineParts } from "./op_spec.ts";
import type { OpArgs } from "./operation.ts";
import type { OpImpl } from "./types.ts";

/**
 * Each line (the text between "\n"s) where `re.search(pattern, line)` matches, followed by
 * "\n": the bytes `grep` prints, so `count lines` of the result equals `grep -c`. With
 * `context_lines` N, N lines around each match as in `grep -C N`, with a "--" line between
 * groups that are not adjacent. No match gives "". The dialect, and what it refuses, is in
 * docs/reference/ops.md.
 *
 * @example `{"op": "grep", "args": {"input": "context", "pattern": "(?i)timed? ?out"}}`
 */
export const grep: OpImpl<"grep"> = async (args, vars, ports) => {
  const pattern = patternOf(args);
  const pause = pauser(ports.signal, "grep");
  if (args.context_lines > 0) {
    return withContext(vars.text(args.input, "input"), pattern, args.context_lines, pause);
  }
  const found: string[] = [];
  for (const piece of vars.textPieces(args.input, "input")) {
    for (const ranges of rangeBlocks(piece, pattern)) {
      found.push(linesOf(piece, ranges));
      await pause();
    }
  }
  return mergeGrepParts(found);
};

/**
 * grep without context lines over one line-aligned part of a text. Parts of a text, merged in
 * order by `mergeGrepParts`, give grep of the whole text (a match never crosses a line), so an
 * executor may scan the parts in parallel.
 */
export function grepPart(args: OpArgs<"grep">, pieces: Iterable<string>): string {
  const pattern = patternOf(args);
  const found: string[] = [];
  for (const piece of pieces) found.push(grepPiece(piece, pattern));
  return found.join("");
}

/** grep's result from its parts' results, in order. */
export function mergeGrepParts(parts: string[]): string {
  return parts.join("");
}

const PARTS: LineParts<OpArgs<"grep">, string> = { part: grepPart, merge: mergeGrepParts };

/**
 * How grep splits over line-aligned parts (`grepPart`, `mergeGrepParts`): only without context
 * lines, since a match's neighbours may be in another part.
 */
export function grepLineParts(args: OpArgs<"grep">): LineParts<OpArgs<"grep">, string> | undefined {
  return args.context_lines === 0 ? PARTS : undefined;
}

/** The matching lines of one piece, each with its "\n", as a new string (no slices kept). */
function grepPiece(piece: string, pattern: LinePattern): string {
  return linesOf(piece, matchingLineRanges(piece, pattern));
}

function linesOf(piece: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return "";
  return ranges.map(([s, e]) => piece.slice(s, e) + "\n").join("");
}

function patternOf(args: OpArgs<"grep">): LinePattern {
  return compileLinePattern(args.pattern, {
    ignoreCase: args.ignore_case,
    op: "grep",
    arg: "pattern",
  });
}

async function withContext(
  text: string,
  pattern: LinePattern,
  n: number,
  pause: () => Promise<void>,
): Promise<string> {
  const all = splitLines(text);
  const indexOfStart = new Map<number, number>();
  for (let i = 0, at = 0; i < all.length; at += all[i].length + 1, i++) indexOfStart.set(at, i);
  const groups: [number, number][] = [];
  for (const ranges of rangeBlocks(text, pattern)) {
    for (const [start] of ranges) {
      const i = indexOfStart.get(start)!;
      const [from, to] = [Math.max(0, i - n), Math.min(all.length - 1, i + n)];
      const prev = groups[groups.length - 1];
      if (prev && from <= prev[1] + 1) prev[1] = Math.max(prev[1], to);
      else groups.push([from, to]);
    }
    await pause();
  }
  return groups.map(([from, to]) => all.slice(from, to + 1).map((l) => l + "\n").join(""))
    .join("--\n");
}
