/**
 * `count`: lines, characters, words or regex matches of a text, as an integer in text.
 *
 * @module
 */
import { codePointLength } from "./_code_points.ts";
import { countLines } from "./_lines.ts";
import {
  compileLinePattern,
  countInRanges,
  countMatches,
  type LinePattern,
  rangeBlocks,
} from "./regex/line_pattern.ts";
import { pauser } from "./regex/pauser.ts";
import type { LineParts } from "./op_spec.ts";
import type { OpArgs } from "./operation.ts";
import type { OpImpl } from "./types.ts";

/**
 * `lines` (the "\n"s, plus 1 for a last line without one), `chars` (Unicode code points, as
 * Python's `len`), `words` (as Python's `len(text.split())`: runs of characters that are not
 * Python whitespace), `matches` (the number of `re.finditer(pattern, line)` matches, summed over
 * the lines; see docs/reference/ops.md).
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

const PARTS: LineParts<OpArgs<"count">, number> = { part: countPart, merge: mergeCountParts };

/** How count splits over line-aligned parts (`countPart`, `mergeCountParts`): in every mode. */
export function countLineParts(): LineParts<OpArgs<"count">, number> {
  return PARTS;
}

// The characters Python's str.isspace() accepts, which str.split() splits at: JavaScript's \s
// lacks U+001C..U+001F and U+0085 and adds U+FEFF, so it is spelled out.
// deno-lint-ignore no-control-regex -- U+001C..U+001F are Python whitespace, on purpose
const WORD = /[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

function countWords(text: string): number {
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) n++;
  return n;
}

function counter(args: OpArgs<"count">): (text: string) => number {
  switch (args.mode) {
    case "lines":
      return countLines;
    case "chars":
      return codePointLength;
    case "words":
      return countWords;
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
