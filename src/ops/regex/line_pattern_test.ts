import { assert, assertEquals, assertMatch } from "../../../tests/_assert.ts";
import { hashValue } from "../../cache/hash.ts";
import type { Binding } from "../../protocol/value.ts";
import { grep } from "../grep.ts";
import { OpError } from "../op_error.ts";
import { parseOperation } from "../parse_operation.ts";
import { createVars } from "../vars.ts";
import {
  compileLinePattern,
  countMatches,
  matchingLineRanges,
  MAX_PATTERN,
} from "./line_pattern.ts";

const compile = (pattern: string, count = false) =>
  compileLinePattern(pattern, { ignoreCase: false, op: "grep", arg: "pattern", count });

function refusal(pattern: string, count = false): string {
  try {
    compile(pattern, count);
  } catch (error) {
    assert(error instanceof OpError, String(error));
    return error.message;
  }
  throw new Error(`${pattern} was accepted`);
}

Deno.test("catastrophic patterns end, with the answer CPython gives", () => {
  const text = ("a".repeat(3000) + "\n").repeat(20) + "aaab\n";
  for (const pattern of ["(a+)+b", "(a|a)*b", "(a*)*b", "(a|aa)+b", "(?:a{0,20}){0,5}b"]) {
    const lines = matchingLineRanges(text, compile(pattern)).map(([s, e]) => text.slice(s, e));
    assertEquals(lines, ["aaab"], pattern);
  }
});

Deno.test("counted repetition above V8's limit of 16 works", () => {
  const hash = "0123456789abcdef".repeat(2) + "01234567";
  const text = `commit ${hash}\nshort ${hash.slice(1)}\n`;
  assertEquals(matchingLineRanges(text, compile("[0-9a-f]{40}")).length, 1);
  assertEquals(matchingLineRanges("x".repeat(1000) + "\n", compile("^x{1,1000}$")).length, 1);
  assertEquals(matchingLineRanges("x".repeat(1001) + "\n", compile("^x{1,1000}$")).length, 0);
  assertEquals(countMatches("ab".repeat(300), compile("(?:ab){1,200}", true)), 2);
});

Deno.test("a pattern too long or too deeply nested is refused at once, naming the limit", () => {
  assertMatch(refusal("a".repeat(MAX_PATTERN + 1)), /longer than 10000 characters/);
  const t0 = performance.now();
  assertMatch(refusal("(".repeat(4000) + "a" + ")".repeat(4000)), /nested deeper than 200/);
  assertMatch(refusal("(?:a{0,300}){0,300}"), /counted repetition|this large/);
  assert(performance.now() - t0 >= 0);
});

Deno.test("refusals name the construct", () => {
  assertMatch(refusal("a(?=b)"), /unsupported construct: the lookahead \(\?=/);
  assertMatch(refusal("(a)\\1"), /unsupported construct: the backreference \\1/);
  assertMatch(refusal("a*", true), /count mode=matches does not support/);
  assertMatch(refusal("(?<=a+)b"), /invalid pattern .*look-behind requires fixed-width/);
  assertMatch(refusal("\\b\\w*"), /unsupported construct: \\b before an optional part/);
});

Deno.test("grep stops between blocks once the run's signal is aborted", async () => {
  const text = "abc\n".repeat(100_000);
  const vars = createVars(
    new Map<string, Binding>([["t", { value: text, hash: hashValue(text) }]]),
  );
  const args = parseOperation({ op: "grep", args: { input: "t", pattern: "b" } }).args;
  const controller = new AbortController();
  controller.abort(new Error("deadline passed"));
  let caught: unknown;
  try {
    await grep(args as never, vars, { signal: controller.signal });
  } catch (error) {
    caught = error;
  }
  assertEquals((caught as Error)?.message, "deadline passed");
});

const hasGrep = await new Deno.Command("grep", { args: ["--version"], stdout: "null" }).output()
  .then((o) => o.success, () => false);

Deno.test({
  name:
    "grep, with and without context_lines, prints what GNU grep -C prints (skipped without grep)",
  ignore: !hasGrep,
  async fn() {
    const fc = (await import("fast-check")).default;
    const texts = fc.array(fc.constantFrom("a", "b", "ab", "", "x y", "é"), { maxLength: 14 })
      .chain((ls) => fc.boolean().map((end) => ls.join("\n") + (end && ls.length ? "\n" : "")));
    await fc.assert(
      fc.asyncProperty(texts, fc.integer({ min: 0, max: 3 }), async (t, n) => {
        using dir = tempDir();
        await Deno.writeTextFile(`${dir.path}/t`, t);
        const out = await new Deno.Command("grep", {
          // context_lines 0 is plain grep (GNU grep -C 0 would print "--" between groups).
          args: ["-E", ...(n > 0 ? ["-C", String(n)] : []), "a", `${dir.path}/t`],
          stdout: "piped",
        }).output();
        const expected = new TextDecoder().decode(out.stdout);
        const vars = createVars(
          new Map<string, Binding>([["t", { value: t, hash: hashValue(t) }]]),
        );
        const args = parseOperation({
          op: "grep",
          args: { input: "t", pattern: "a", context_lines: n },
        }).args;
        assertEquals(await grep(args as never, vars, {}), expected);
      }),
      { numRuns: 60 },
    );
  },
});

function tempDir(): { path: string } & Disposable {
  const path = Deno.makeTempDirSync({ prefix: "rlm-grep-" });
  return { path, [Symbol.dispose]: () => Deno.removeSync(path, { recursive: true }) };
}
