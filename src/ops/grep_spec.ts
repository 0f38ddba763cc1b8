/**
 * The spec of `grep` (docs/reference/ops.md).
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";
import { nonEmptyText, nonNegInt } from "./_arg_types.ts";
import { grepLineParts } from "./grep.ts";
import type { OpSpec } from "./op_spec.ts";

const args = z.strictObject({
  input: VarNameSchema,
  pattern: nonEmptyText,
  ignore_case: z.boolean().default(false),
  context_lines: nonNegInt.max(1000, "must be at most 1000").default(0),
});

/** `grep`: matching lines, Python-style regex. */
export const grepSpec: OpSpec<"grep", typeof args> = {
  name: "grep",
  order: 30,
  args,
  effect: "pure",
  variableArgs: ["input"],
  lineParts: grepLineParts,
  prompt: [{
    needs: "pure",
    line:
      "grep {input, pattern, ignore_case=false, context_lines=0} -> text: each matching line followed by \\n, as grep prints it. Python re syntax; no lookahead or backreferences",
  }],
  docs: [{
    table: "pure",
    args: "`input`, `pattern`, `ignore_case` (false), `context_lines` (0)",
    result:
      'text: each line where `re.search(pattern, line)` matches, in order, **each followed by `\\n`** (the bytes GNU `grep` prints, so `count lines` of it equals `grep -c`); no match gives `""`. With `context_lines` N, N lines around each match as `grep -C N`, groups separated by a `--` line',
  }],
  example: { op: "grep", args: { input: "context", pattern: "(?i)timed? ?out" }, bind: "timeouts" },
};
