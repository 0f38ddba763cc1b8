/**
 * Differential: rlm's `count` (lines, chars, words), `slice`, `lines` and `chunk` against CPython
 * on real text files of this machine and on generated adversarial files. The adversarial files'
 * Python answers are also shipped (python_expectations.json, written by CPython 3.11 with
 * `RLM_UPDATE_EXPECTATIONS=1`), so that part runs where python3 is missing. Reports the count of
 * silent mismatches, which must be 0.
 *
 * @module
 */
import { assertEquals } from "../_assert.ts";
import { observe, type Observed, realTextFiles, sha, writeAdversarialFiles } from "./_corpus.ts";
import { hasPython, type PythonView, pythonViews } from "./_python_oracle.ts";
import { tempDir } from "../_temp_dir.ts";

const EXPECTATIONS = new URL("./python_expectations.json", import.meta.url);
const python = await hasPython();

/** Every field where rlm and Python differ, as one line each. */
function mismatches(what: string, ours: Observed, py: PythonView): string[] {
  const found: string[] = [];
  const check = (field: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      found.push(`${what}: ${field}: rlm ${JSON.stringify(a)}, python ${JSON.stringify(b)}`);
    }
  };
  check("count lines", ours.lines, py.lines);
  check("count chars", ours.chars, py.chars);
  check("count words", ours.words, py.words);
  ours.slices.forEach((s, i) => check(`slice #${i}`, s, py.slices[i]));
  ours.lineRanges.forEach((s, i) => check(`lines #${i}`, s, py.lineRanges[i]));
  check("chunk size 1000 joined", ours.chunkJoined, py.text);
  check("chunk size 1000 pieces fit and are whole code points", ours.chunkOk, true);
  return found;
}

Deno.test("ops agree with Python on generated adversarial files (shipped expectations)", async () => {
  await using dir = await tempDir("rlm-diff-");
  const paths = await writeAdversarialFiles(dir.path);
  const byName: Record<string, PythonView> = JSON.parse(await Deno.readTextFile(EXPECTATIONS));
  if (Deno.env.get("RLM_UPDATE_EXPECTATIONS") === "1") {
    const live = await pythonViews([...paths.values()]);
    for (const [name, path] of paths) byName[name] = live[path];
    await Deno.writeTextFile(EXPECTATIONS, JSON.stringify(byName, null, 2) + "\n");
  }
  const found: string[] = [];
  for (const [name, path] of paths) {
    found.push(...mismatches(name, await observe(path), byName[name]));
  }
  assertEquals(found, [], `${found.length} silent mismatches`);
});

Deno.test({
  name: python
    ? "ops agree with live Python on real text files of this machine"
    : "ops agree with live Python on real text files (skipped: python3 is not installed)",
  ignore: !python,
  async fn() {
    const files = await realTextFiles();
    const views = await pythonViews(files);
    const found: string[] = [];
    for (const path of files) found.push(...mismatches(path, await observe(path), views[path]));
    console.log(`${files.length} files, ${found.length} silent mismatches`);
    assertEquals(found, [], `${found.length} silent mismatches over ${files.length} files`);
  },
});

// A guard against an empty expectations file making the first test vacuous.
Deno.test("the shipped Python expectations cover every adversarial file", async () => {
  const byName = JSON.parse(await Deno.readTextFile(EXPECTATIONS));
  const { adversarialFiles } = await import("./_corpus.ts");
  assertEquals(Object.keys(byName).sort(), Object.keys(adversarialFiles()).sort());
  assertEquals(byName.empty.text, sha(""));
});
