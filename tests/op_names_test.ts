/**
 * A new op is its spec, its implementation and its tests (docs/architecture.md, "Add an op"):
 * everything else knows an op by its spec (its effect, its variable args), never by its name.
 * This test reads every non-test file under `src/` and fails on a string literal that is an op's
 * name outside the ops' own files (`src/ops/<op>.ts`, `src/ops/<op>_spec.ts`, where an op's
 * modes may share another op's name: `count`'s `lines`) and the files `deno task gen` writes.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OP_SPECS } from "../src/ops/_op_specs.ts";
import { assertEquals } from "./_assert.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const NAMES: readonly string[] = Object.keys(OP_SPECS);
const GENERATED = ["src/ops/_op_specs.ts", "src/ops/registry.ts"];

/**
 * Files that name an op for a reason that is not dispatch, each with the reason, as
 * `"path: op"`. The test fails when an entry no longer names its op, so the list only shrinks.
 */
const KNOWN: Record<string, string> = {
  "src/loop/prompt.ts: grep": "the prompt's worked examples are data (a test runs them)",
  "src/loop/prompt.ts: count": "the prompt's worked examples are data (a test runs them)",
  "src/loop/prompt.ts: chunk": "the prompt's worked examples are data (a test runs them)",
  "src/loop/prompt.ts: map": "the prompt's worked examples are data (a test runs them)",
  "src/loop/prompt.ts: combine": "the prompt's worked examples are data (a test runs them)",
  "src/ops/_numbers.ts: combine": "combine's number reader, whose errors are combine's",
  "src/ops/parse_operation.ts: grep": "the parser's error shows the shape of an operation",
};

/** The op names that `text` has as whole string literals, outside comments. */
export function opNameLiterals(text: string, names: readonly string[]): string[] {
  const code = text.split("\n")
    .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line))
    .map((line) => line.replace(/\s\/\/ .*$/, ""))
    .join("\n");
  const found = new Set<string>();
  for (const m of code.matchAll(/(["'`])([a-z_]+)\1/g)) if (names.includes(m[2])) found.add(m[2]);
  return [...found];
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) yield path;
  }
}

/** Whether `path` is one of an op's own files. */
function opFile(path: string): boolean {
  return NAMES.some((op) => path === `src/ops/${op}.ts` || path === `src/ops/${op}_spec.ts`);
}

Deno.test("the scanner finds op names in code and skips comments", () => {
  const text = [
    ' * const op = { op: "grep" };',
    "// if (op.op === 'map')",
    'if (op.op === "eval") run(); // not "slice"',
    "const s = `count`;",
    'const mode = "grep -c";',
  ].join("\n");
  assertEquals(opNameLiterals(text, NAMES).sort(), ["count", "eval"]);
});

Deno.test("no code outside an op's own files names the op", async () => {
  const found: string[] = [];
  for await (const path of sourceFiles("src")) {
    if (GENERATED.includes(path) || opFile(path)) continue;
    const text = await Deno.readTextFile(join(ROOT, path));
    for (const op of opNameLiterals(text, NAMES)) {
      found.push(`${path}: ${op}`);
    }
  }
  found.sort();
  assertEquals(found.filter((entry) => !(entry in KNOWN)), [], "op names outside their op");
  assertEquals(Object.keys(KNOWN).filter((entry) => !found.includes(entry)), [], "stale KNOWN");
});
