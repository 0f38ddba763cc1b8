/**
 * Differential test: rlm's `grep` (and `count` of its result) against GNU `grep -E` / `grep -c`
 * over real text files on the machine and generated adversarial files.
 *
 * The patterns are in the common subset of POSIX ERE and Python's `re` where both mean the same
 * thing for "does this line match" (leftmost-longest against leftmost-first does not change
 * whether a line matches). Every file goes through the real context-file path of the CLI
 * (`readContexts`: read on demand, in line-aligned pieces).
 *
 * One rule adjusts the reference, by design (docs/reference/ops.md, "Lines"): rlm reads a file as
 * Python's `open(path, encoding="utf-8-sig", errors="replace")` does — a leading byte-order mark
 * is dropped and invalid UTF-8 becomes U+FFFD — so `grep` runs on that decoded text, written
 * back as UTF-8. For a valid UTF-8 file without a BOM that is the file itself.
 *
 * The test counts silent mismatches (rlm answered and the answer differs) and asserts 0.
 *
 * @module
 */
import { readContexts } from "../../src/exec/context_files.ts";
import { createLocalExecutor } from "../../src/exec/local/local_executor.ts";
import { parsePlan } from "../../src/exec/parse_plan.ts";
import { runPlan } from "../../src/exec/run_plan.ts";
import { OpError } from "../../src/ops/op_error.ts";
import type { Binding } from "../../src/protocol/value.ts";
import { assertEquals } from "../_assert.ts";
import { tempDir } from "../_temp_dir.ts";

/** Patterns that ERE and Python read the same way, line by line. */
const PATTERNS = [
  "",
  "the",
  "The",
  "^#",
  "^$",
  "^[A-Z]",
  "[0-9]+",
  "[0-9]{4}",
  "[0-9a-f]{8}",
  "(GNU|BSD|MIT)",
  "^.{0,10}$",
  "^.{80,}",
  "e.e",
  " $",
  "^[ \t]*$",
  "colou?r",
  "[^a-z]",
  "^[^ ]+ [^ ]+$",
  "(ab|cd)+",
  "[.]",
  "[]a]x",
  "^.*$",
  "é",
  "^.$",
  "\\(",
  "a{2,}",
  "(^| )of( |$)",
  "[A-Za-z]{12}",
  "\t",
  "\r$",
];

/** Case-insensitive patterns, compared with `grep -iE` (ASCII letters only, where both agree). */
const IGNORE_CASE_PATTERNS = ["the", "license", "^[a-z]+$", "gnu|bsd", "err(or)?"];

const hasGrep = await (async () => {
  try {
    const out = await new Deno.Command("grep", { args: ["--version"], stdout: "piped" }).output();
    return out.success && new TextDecoder().decode(out.stdout).includes("GNU");
  } catch {
    return false;
  }
})();

/** Real text files: the project's own sources and docs, and Debian's license texts. */
async function realFiles(): Promise<string[]> {
  const root = new URL("../../", import.meta.url).pathname;
  const picked: string[] = [`${root}docs/examples/app.log`, `${root}README.md`];
  for (const dir of ["src/ops", "src/exec", "docs/reference", "docs/how-to"]) {
    for await (const e of Deno.readDir(`${root}${dir}`)) {
      if (e.isFile) picked.push(`${root}${dir}/${e.name}`);
    }
  }
  try {
    for await (const e of Deno.readDir("/usr/share/common-licenses")) {
      if (e.isFile) picked.push(`/usr/share/common-licenses/${e.name}`);
    }
  } catch {
    // Not every machine has Debian's license folder; the project's files remain.
  }
  return picked.sort();
}

/** Adversarial files, written the same way on every run. */
function adversarialTexts(): Record<string, Uint8Array> {
  const enc = (s: string) => new TextEncoder().encode(s);
  const long = "x".repeat(200_000) + "the" + "y".repeat(100_000);
  return {
    "crlf.txt": enc("the first\r\n\r\nsecond line\r\n#comment\r\n"),
    "no-final-newline.txt": enc("alpha\nthe beta\n\ngamma"),
    "blank-lines.txt": enc("a\n\n\n"),
    "only-newlines.txt": enc("\n\n\n\n"),
    "nul.txt": enc("the\0nul\n\0\nplain\n"),
    "astral.txt": enc("😀\na😀b\n😀😀\n𝔘nicode 1234\né\n"),
    "lone-cr.txt": enc("a\rb\n\r\nthe\r\n"),
    "u2028.txt": enc("one\u2028two\nthe\u2029x\n\u0085\n"),
    "bom.txt": new Uint8Array([0xef, 0xbb, 0xbf, ...enc("#the first line\nsecond\n")]),
    "invalid-utf8.txt": new Uint8Array([
      ...enc("good line\n"),
      0xff,
      0xfe,
      ...enc("the bad\n"),
      0xc3,
      ...enc("\n"),
      0xe2,
      0x82,
      ...enc("x\n"),
    ]),
    "long-line.txt": enc(`${long}\nshort\n${"ab".repeat(50_000)}\n`),
    "tabs.txt": enc("\t\n \t \nthe\tend\ncolor colour\n"),
  };
}

async function gnuGrep(args: string[], file: string): Promise<string> {
  const out = await new Deno.Command("grep", {
    args: ["-a", ...args, "--", file],
    env: { LC_ALL: "C.UTF-8" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code > 1) {
    throw new Error(`grep ${args.join(" ")} ${file}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

async function rlmGrep(
  context: Binding,
  pattern: string,
  ignoreCase: boolean,
): Promise<{ lines: string; count: string }> {
  const plan = parsePlan({
    operations: [
      { op: "grep", args: { input: "context", pattern, ignore_case: ignoreCase }, bind: "g" },
      { op: "count", args: { input: "g", mode: "lines" }, bind: "n" },
    ],
    output: "n",
  });
  const env = new Map<string, Binding>([["context", context]]);
  const { binding } = await runPlan(plan, env, { executor: createLocalExecutor({}) });
  return { lines: env.get("g")!.value as string, count: binding.value as string };
}

Deno.test({
  name: hasGrep
    ? "grep and count agree with GNU grep -E / grep -c on real and adversarial files"
    : "grep and count agree with GNU grep (skipped: GNU grep is not on PATH)",
  ignore: !hasGrep,
  async fn() {
    await using dir = await tempDir("rlm-grep-diff-");
    const files = await realFiles();
    for (const [name, bytes] of Object.entries(adversarialTexts())) {
      const path = `${dir.path}/${name}`;
      await Deno.writeFile(path, bytes);
      files.push(path);
    }
    const mismatches: string[] = [];
    const refused = new Set<string>();
    let compared = 0;
    for (const file of files) {
      // The reference reads what rlm reads: the file decoded as utf-8-sig with replacement.
      const decoded = new TextDecoder().decode(await Deno.readFile(file));
      const reference = `${dir.path}/reference.txt`;
      await Deno.writeTextFile(reference, decoded);
      const context = (await readContexts([file])).get("context")!;
      const cases: [string, boolean][] = [
        ...PATTERNS.map((p): [string, boolean] => [p, false]),
        ...IGNORE_CASE_PATTERNS.map((p): [string, boolean] => [p, true]),
      ];
      for (const [pattern, ignoreCase] of cases) {
        const flags = ignoreCase ? ["-iE"] : ["-E"];
        const [expected, expectedCount] = await Promise.all([
          gnuGrep([...flags, pattern], reference),
          gnuGrep([...flags, "-c", pattern], reference),
        ]);
        let got: { lines: string; count: string };
        try {
          got = await rlmGrep(context, pattern, ignoreCase);
        } catch (error) {
          // A refusal is an answer the docs list, not a silent mismatch.
          if (!(error instanceof OpError)) throw error;
          refused.add(`${JSON.stringify(pattern)}: ${error.message}`);
          continue;
        }
        compared++;
        if (got.lines !== expected || got.count !== expectedCount.trim()) {
          mismatches.push(
            `${file} ${flags[0]} ${
              JSON.stringify(pattern)
            }: grep -c ${expectedCount.trim()}, rlm ${got.count}` +
              (got.lines !== expected ? " (lines differ)" : ""),
          );
        }
      }
    }
    console.log(
      `grep differential: ${compared} comparisons, ${mismatches.length} silent mismatches`,
    );
    assertEquals(mismatches.slice(0, 20), [], `${mismatches.length} silent mismatches`);
  },
});
