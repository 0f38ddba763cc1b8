/**
 * Differential test of grep's and count mode=matches' regex against CPython's `re`.
 *
 * The corpus and CPython's answers are in regex_expected.json, written by
 * tools/gen_regex_expectations.py from: adversarial cases written for rlm, CPython's
 * Lib/test/re_tests.py (python/cpython) and the (pattern, subject) pairs CPython's
 * Lib/test/test_re.py passes to `re` while it runs. The suite reports silent mismatches (we
 * answered, and differently) and refusals (we raised an error naming a construct); the first
 * must be 0, and every refusal must be one docs/reference/ops.md lists. When python3 is on
 * PATH, a fast-check property also compares random patterns over random subjects live.
 *
 * @module
 */
import fc from "fast-check";
import { assert, assertEquals } from "../_assert.ts";
import {
  compileLinePattern,
  countMatches,
  matchingLineRanges,
} from "../../src/ops/regex/line_pattern.ts";
import { OpError } from "../../src/ops/op_error.ts";

interface Expect {
  error?: boolean;
  lines?: number[];
  count?: number;
}
interface Case {
  source: string;
  pattern: string;
  subject: string;
  ignore_case: boolean;
  expect: Expect;
}

const data: { python: string; cases: Case[] } = JSON.parse(
  await Deno.readTextFile(new URL("./regex_expected.json", import.meta.url)),
);

/** The refusals docs/reference/ops.md lists, by the start of their message. */
export const DOCUMENTED_REFUSALS = [
  "unsupported construct: the lookahead",
  "unsupported construct: the backreference",
  "unsupported construct: the atomic group",
  "unsupported construct: the possessive quantifier",
  "unsupported construct: the conditional group",
  "unsupported construct: the named character escape",
  "unsupported construct: the scoped flag",
  "unsupported construct: a repeated lookbehind",
  "unsupported construct: \\b ",
  "unsupported construct: \\B ",
  "unsupported construct: groups nested deeper",
  "unsupported construct: the counted repetition",
  "unsupported construct: a pattern this large",
  "count mode=matches does not support a pattern that can match both",
  "a pattern longer than",
];

type Outcome = { kind: "answer"; lines: number[]; count: number | "refused" } | {
  kind: "error";
  message: string;
};

function lineStarts(subject: string): number[] {
  const starts = [0];
  for (let i = subject.indexOf("\n"); i !== -1; i = subject.indexOf("\n", i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

function reason(error: unknown): string {
  if (!(error instanceof OpError)) throw error;
  return error.message.replace(/^\w+: arg "pattern": /, "");
}

/** Our answer for one case: matching line indices and the finditer count. */
export function ours(pattern: string, subject: string, ignoreCase: boolean): Outcome {
  let lines: number[];
  try {
    const p = compileLinePattern(pattern, { ignoreCase, op: "grep", arg: "pattern" });
    const starts = lineStarts(subject);
    lines = matchingLineRanges(subject, p).map(([s]) => starts.indexOf(s));
  } catch (error) {
    return { kind: "error", message: reason(error) };
  }
  let count: number | "refused";
  try {
    const p = compileLinePattern(pattern, { ignoreCase, op: "count", arg: "pattern", count: true });
    count = countMatches(subject, p);
  } catch (error) {
    const message = reason(error);
    assert(documented(message), `undocumented count refusal: ${message}`);
    count = "refused";
  }
  return { kind: "answer", lines, count };
}

function documented(message: string): boolean {
  return DOCUMENTED_REFUSALS.some((d) => message.startsWith(d));
}

interface Tally {
  agree: number;
  refused: number;
  countRefused: number;
  mismatches: string[];
}

/** Compare one case; refusals must be documented, anything else that differs is a mismatch. */
export function judge(c: Case, tally: Tally): void {
  const got = ours(c.pattern, c.subject, c.ignore_case);
  const where = `${c.source} ${JSON.stringify(c.pattern)} on ${JSON.stringify(c.subject)}${
    c.ignore_case ? " (ignore_case)" : ""
  }`;
  if (c.expect.error) {
    if (got.kind === "error") tally.agree++;
    else tally.mismatches.push(`${where}: Python rejects it, we answered`);
    return;
  }
  if (got.kind === "error") {
    if (documented(got.message)) tally.refused++;
    else tally.mismatches.push(`${where}: we failed with ${got.message}`);
    return;
  }
  const lineOk = JSON.stringify(got.lines) === JSON.stringify(c.expect.lines);
  const countOk = got.count === "refused" || got.count === c.expect.count;
  if (got.count === "refused") tally.countRefused++;
  if (lineOk && countOk) tally.agree++;
  else {
    tally.mismatches.push(
      `${where}: lines ${JSON.stringify(got.lines)} vs ${
        JSON.stringify(c.expect.lines)
      }, count ${got.count} vs ${c.expect.count}`,
    );
  }
}

Deno.test("regex: 0 silent mismatches against CPython's re on the shipped corpus", () => {
  const tally: Tally = { agree: 0, refused: 0, countRefused: 0, mismatches: [] };
  for (const c of data.cases) judge(c, tally);
  console.log(
    `regex differential (CPython ${data.python}): ${data.cases.length} cases, ${tally.agree} agree, ${tally.refused} refused, ${tally.countRefused} count refusals, ${tally.mismatches.length} silent mismatches`,
  );
  for (const m of tally.mismatches.slice(0, 40)) console.log("  " + m);
  assertEquals(tally.mismatches.length, 0);
});

const python = await (async () => {
  try {
    // The shipped tables are CPython 3.11's (Unicode 14.0); another version may differ.
    const out = await new Deno.Command("python3", { args: ["--version"] }).output();
    return out.success && new TextDecoder().decode(out.stdout).startsWith("Python 3.11");
  } catch {
    return false;
  }
})();

const ORACLE = `
import json, re, sys, warnings
warnings.simplefilter("ignore")
out = []
for p, s, ic in json.load(sys.stdin):
    try:
        rx = re.compile(p, re.I if ic else 0)
    except Exception:
        out.append({"error": True}); continue
    ls = s.split("\\n")
    if ls and ls[-1] == "": ls.pop()
    out.append({"lines": [i for i, l in enumerate(ls) if rx.search(l)],
                "count": sum(len(list(rx.finditer(l))) for l in ls)})
json.dump(out, sys.stdout)
`;

const atom = fc.constantFrom(
  "a",
  "b",
  "A",
  ".",
  "\\d",
  "\\w",
  "\\s",
  "\\W",
  "[ab]",
  "[^a]",
  "[a-c]",
  "\\r",
  "😀",
  "é",
  "É",
  "\\u2028",
  "\\x00",
  "[😀b]",
  "ſ",
  "k",
  "K",
);
const piece = fc.tuple(atom, fc.constantFrom("", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}?", "+?"))
  .map(([a, q]) => a + q);
const seq = fc.array(fc.oneof(piece, fc.constantFrom("^", "$", "\\b", "\\B", "\\A", "\\Z")), {
  minLength: 1,
  maxLength: 5,
}).map((ps) => ps.join(""));
const patternArb = fc.oneof(
  seq,
  fc.tuple(seq, seq).map(([a, b]) => `${a}|${b}`),
  fc.tuple(seq, seq).map(([a, b]) => `(?:${a})+${b}`),
  fc.tuple(seq, seq).map(([a, b]) => `(?<=${a.replace(/[*+?{},0-9]/g, "")})${b}`),
);
const subjectArb = fc.array(
  fc.constantFrom(
    "a",
    "b",
    "A",
    "k",
    "K",
    "ſ",
    " ",
    "\n",
    "\r",
    "\u2028",
    "\x00",
    "😀",
    "é",
    "É",
    "1",
    "_",
    "-",
  ),
  { maxLength: 12 },
).map((cs) => cs.join(""));

Deno.test({
  name: "regex: random patterns agree with a live python3 (skipped without CPython 3.11 on PATH)",
  ignore: !python,
  async fn() {
    const samples = fc.sample(
      fc.tuple(patternArb, subjectArb, fc.boolean()),
      { numRuns: 1500, seed: Number(Deno.env.get("REGEX_SEED") ?? 12) },
    );
    const child = new Deno.Command("python3", {
      args: ["-c", ORACLE],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(samples)));
    await writer.close();
    const expects: Expect[] = JSON.parse(new TextDecoder().decode((await child.output()).stdout));
    const tally: Tally = { agree: 0, refused: 0, countRefused: 0, mismatches: [] };
    samples.forEach(([pattern, subject, ic], i) =>
      judge({ source: "random", pattern, subject, ignore_case: ic, expect: expects[i] }, tally)
    );
    console.log(
      `regex random: ${samples.length} cases, ${tally.agree} agree, ${tally.refused} refused, ${tally.countRefused} count refusals, ${tally.mismatches.length} silent mismatches`,
    );
    for (const m of tally.mismatches.slice(0, 40)) console.log("  " + m);
    assertEquals(tally.mismatches.length, 0);
  },
});
