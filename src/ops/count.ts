/**
 * `count`: lines, characters, words or regex matches of a text, as an integer in text.
 *
 * @module
 */
import { codePointLength } from "./_code_points.ts";
import { countLines } from "./_lines.ts";
import { compileLinePattern } from "./_python_regex.ts";
import type { OpArgs } from "../protocol/ops.ts";
import type { OpImpl } from "./types.ts";

/**
 * `lines` (the "\n"s, plus 1 for a last line without one), `chars` (Unicode code points, as
 * Python's `len`), `words` (as Python's `len(text.split())`: runs of characters that are not
 * Python whitespace), `matches` (non-overlapping matches of `pattern`, within lines).
 *
 * @example `{"op": "count", "args": {"input": "errors", "mode": "lines"}}` → `"42"`
 */
export const count: OpImpl<"count"> = (args, vars) =>
  mergeCountParts([countPart(args, vars.textPieces(args.input, "input"))]);

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
      const { regex } = compileLinePattern(args.pattern as string, {
        ignoreCase: args.ignore_case,
        op: "count",
        arg: "pattern",
      });
      return (text) => {
        let n = 0;
        regex.lastIndex = 0;
        for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
          if (m.index === text.length && (text === "" || text.endsWith("\n"))) break;
          n++;
          if (m[0] === "") regex.lastIndex = m.index + 1;
        }
        return n;
      };
    }
  }
}
