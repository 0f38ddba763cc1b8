/**
 * `count`: lines, characters, words or regex matches of a text, as an integer in text.
 *
 * @module
 */
import { countLines } from "./_lines.ts";
import { compileLinePattern } from "./_python_regex.ts";
import type { OpImpl } from "./types.ts";

/**
 * `lines` (a final "\n" does not start a line), `chars` (Unicode code points), `words`
 * (runs of non-whitespace), `matches` (non-overlapping matches of `pattern`, within lines).
 *
 * @example `{"op": "count", "args": {"input": "errors", "mode": "lines"}}` → `"42"`
 */
export const count: OpImpl<"count"> = (args, vars) => {
  const text = vars.text(args.input, "input");
  switch (args.mode) {
    case "lines":
      return String(countLines(text));
    case "chars":
      return String(text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0));
    case "words":
      return String(text.match(/\S+/g)?.length ?? 0);
    case "matches": {
      const { regex } = compileLinePattern(args.pattern as string, {
        ignoreCase: args.ignore_case,
        op: "count",
        arg: "pattern",
      });
      let n = 0;
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m.index === text.length && (text === "" || text.endsWith("\n"))) break;
        n++;
        if (m[0] === "") regex.lastIndex = m.index + 1;
      }
      return String(n);
    }
  }
};
