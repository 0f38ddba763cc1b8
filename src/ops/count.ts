/**
 * `count`: lines, characters, words or regex matches of a text, as an integer in text.
 *
 * @module
 */
import { countLines } from "./_lines.ts";
import {
  compileLinePattern,
  countInRanges,
  countMatches,
  type LinePattern,
  rangeBlocks,
} from "./regex/line_pattern.ts";
import { pauser } from "./regex/pauser.ts";
import type { OpArgs } from "../protocol/ops.ts";
import type { OpImpl } from "./types.ts";

/**
 * `lines` (a final "\n" does not start a line), `chars` (Unicode code points), `words`
 * (runs of non-whitespace), `matches` (the number of `re.finditer(pattern, line)` matches,
 * summed over the lines; see docs/reference/ops.md).
 *
 * @example `{"op": "count", "args": {"input": "errors", "mode": "lines"}}` → `"42"`
 */
export const count: OpImpl<"count"> = async (args, vars, ports) => {
  if (args.mode !== "matches") {
    return mergeCountParts([countPart(args, vars.textPieces(args.input, "input"))]);
  }
  // A regex scan may be long: it stops between blocks of lines when the run's deadline passes.
  const pattern = matchesPattern(args);
  const pause = pauser(ports.signal, "count");
  let n = 0;
  for (const piece of vars.textPieces(args.input, "input")) {
    for (const ranges of rangeBlocks(piece, pattern)) {
      n += countInRanges(piece, ranges, pattern);
      await pause();
    }
  }
  return String(n);
};

/**
 * count over one line-aligned part of a text. Lines, characters, words and matches never
 * cross a line end, so the parts' counts add up to the whole text's (`mergeCountParts`).
 */
export function countPart(args: OpArgs<"count">, pieces: Iterable<string>): number {
  const countPiece = counter(args);
  let n = 0;
  for (const piece of pieces) n += countPiece(piece);
  return n;
}

/** count's result from its parts' counts. */
export function mergeCountParts(parts: number[]): string {
  return String(parts.reduce((a, b) => a + b, 0));
}

function counter(args: OpArgs<"count">): (text: string) => number {
  switch (args.mode) {
    case "lines":
      return countLines;
    case "chars":
      return (text) => text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
    case "words":
      return (text) => text.match(/\S+/g)?.length ?? 0;
    case "matches": {
      const pattern = matchesPattern(args);
      return (text) => countMatches(text, pattern);
    }
  }
}

function matchesPattern(args: OpArgs<"count">): LinePattern {
  return compileLinePattern(args.pattern as string, {
    ignoreCase: args.ignore_case,
    op: "count",
    arg: "pattern",
    count: true,
  });
}
