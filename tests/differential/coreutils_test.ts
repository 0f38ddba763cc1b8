/**
 * Differential: rlm's `count` (lines, chars, words) against `grep -c '^'`, `wc -l`, `wc -w` and
 * `wc -m` (GNU, LC_ALL=C.UTF-8) on real text files of this machine and on generated adversarial
 * files. Where rlm differs from the tools on purpose (docs/reference/ops.md, "Differences from
 * wc and grep"), the tools are given the file after one documented rule each, never skipped:
 *
 * - the tools read the text rlm reads: the file decoded as UTF-8, invalid bytes as U+FFFD and a
 *   leading byte-order mark dropped (docs/reference/cli.md), encoded again;
 * - for `wc -w`, U+001C..U+001F, U+0085, U+2028 and U+2029 become spaces (they are whitespace to
 *   Python's `str.split()`, which `count words` follows, and not to `wc`), and control
 *   characters become letters (`wc -w` never starts a word at one; Python's split does);
 * - `wc -l` counts "\n"s: rlm adds 1 for a last line without one.
 *
 * Reports the count of silent mismatches, which must be 0.
 *
 * @module
 */
import { assertEquals } from "../_assert.ts";
import { runCli } from "../_cli.ts";
import { observe, realTextFiles, writeAdversarialFiles } from "./_corpus.ts";
import { tempDir } from "../_temp_dir.ts";

const C_UTF8 = { LC_ALL: "C.UTF-8" };

async function tool(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, env: C_UTF8, stdout: "piped" }).output();
    return out.code <= 1 ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

const haveTools = (await tool("wc", ["--version"]))?.includes("GNU") &&
  (await tool("grep", ["--version"]))?.includes("GNU");

const enc = new TextEncoder();

// deno-lint-ignore no-control-regex -- control characters are the point here
const PYTHON_ONLY_SPACE = /[\u001c-\u001f\u0085\u2028\u2029]/g;
// deno-lint-ignore no-control-regex -- control characters are the point here
const UNPRINTABLE = /[\u0000-\u0008\u000e-\u001b\u007f-\u0084\u0086-\u009f]/g;

/**
 * The bytes the tools are given: the text rlm reads (the file decoded as UTF-8: invalid bytes
 * become U+FFFD, a leading byte-order mark is dropped), encoded again; and, for `wc -w`, with
 * Python-only whitespace made spaces and control characters (which `wc -w` never lets start a
 * word, and Python's split does) made letters.
 */
function asRlmReadsIt(data: Uint8Array): { text: string; plain: Uint8Array; words: Uint8Array } {
  const text = new TextDecoder().decode(data);
  const words = text.replace(PYTHON_ONLY_SPACE, " ").replace(UNPRINTABLE, "x");
  return { text, plain: enc.encode(text), words: enc.encode(words) };
}

async function compare(paths: Map<string, string>, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const [name, path] of paths) {
    const view = asRlmReadsIt(await Deno.readFile(path));
    const plain = `${dir}/plain`;
    const words = `${dir}/words`;
    await Deno.writeFile(plain, view.plain);
    await Deno.writeFile(words, view.words);
    const num = async (cmd: string, args: string[]) =>
      Number((await tool(cmd, args))?.trim().split(/\s+/)[0]);
    const unterminated = view.text !== "" && !view.text.endsWith("\n") ? 1 : 0;
    const expected = {
      "grep -c '^'": await num("grep", ["-a", "-c", "^", plain]),
      "wc -l": (await num("wc", ["-l", plain])) + unterminated,
      "wc -w": await num("wc", ["-w", words]),
      "wc -m": await num("wc", ["-m", plain]),
    };
    const ours = await observe(path);
    const got = {
      "grep -c '^'": ours.lines,
      "wc -l": ours.lines,
      "wc -w": ours.words,
      "wc -m": ours.chars,
    };
    for (const [k, v] of Object.entries(expected)) {
      const g = got[k as keyof typeof got];
      if (g !== v) found.push(`${name}: ${k} says ${v}, rlm says ${g}`);
    }
  }
  return found;
}

const skipped = haveTools ? "" : " (skipped: GNU grep and wc are not both installed)";

Deno.test({
  name: `count agrees with grep -c and wc on generated adversarial files${skipped}`,
  ignore: !haveTools,
  async fn() {
    await using dir = await tempDir("rlm-coreutils-");
    const found = await compare(await writeAdversarialFiles(dir.path), dir.path);
    assertEquals(found, [], `${found.length} silent mismatches`);
  },
});

Deno.test({
  name: `count agrees with grep -c and wc on real text files of this machine${skipped}`,
  ignore: !haveTools,
  async fn() {
    await using dir = await tempDir("rlm-coreutils-");
    const files = await realTextFiles(100);
    const found = await compare(new Map(files.map((f) => [f, f])), dir.path);
    console.log(`${files.length} files, ${found.length} silent mismatches`);
    assertEquals(found, [], `${found.length} silent mismatches over ${files.length} files`);
  },
});

Deno.test("rlm exec, the real CLI, prints the counts the suites compare", async () => {
  await using dir = await tempDir("rlm-coreutils-");
  const paths = await writeAdversarialFiles(dir.path);
  const plan = `${dir.path}/plan.json`;
  const modes = ["lines", "chars", "words"];
  await Deno.writeTextFile(
    plan,
    JSON.stringify({
      operations: [
        ...modes.map((mode) => ({ op: "count", args: { input: "context", mode }, bind: mode })),
        { op: "combine", args: { inputs: modes, strategy: "json" }, bind: "all" },
      ],
    }),
  );
  for (const name of ["invalid_utf8", "long_line", "bom_then_space", "mixed"]) {
    const path = paths.get(name) as string;
    const out = await runCli(["exec", plan, "-c", path, "--no-cache"]);
    assertEquals(out.code, 0, out.stderr);
    const ours = await observe(path);
    assertEquals(out.stdout.trim(), JSON.stringify([ours.lines, ours.chars, ours.words]), name);
  }
});
