/**
 * The layering of /work/shared/STYLE.md, enforced: dependencies point one way,
 * `cli → loop → exec → ops → protocol`, with `cache`, `llm`, `sandbox` and `trace` as leaves that
 * import only `protocol`, and nothing but `main.ts` importing `cli`. Every non-test file under
 * `src/` (and `mod.ts`) is read and each relative import is checked against the layer it lives in.
 *
 * @module
 */
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "./_assert.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The leaves: they may import only `protocol` and themselves. */
const LEAVES = ["cache", "llm", "sandbox", "trace"];

/**
 * What each layer (a folder of `src/`) may import besides itself. `root` is a file directly in
 * `src/` (`version.ts`): a constant every layer may import. `cli` may import anything.
 */
const ALLOWED: Record<string, readonly string[]> = {
  protocol: ["root"],
  ops: ["protocol", "root"],
  ...Object.fromEntries(LEAVES.map((leaf) => [leaf, ["protocol", "root"]])),
  exec: ["ops", "protocol", ...LEAVES, "root"],
  loop: ["exec", "ops", "protocol", ...LEAVES, "root"],
  bench: ["loop", "exec", "ops", "protocol", ...LEAVES, "root"],
  root: ["protocol"],
  cli: ["bench", "loop", "exec", "ops", "protocol", ...LEAVES, "root"],
  // mod.ts, the library's public face: anything in src/ but the command line.
  mod: ["bench", "loop", "exec", "ops", "protocol", ...LEAVES, "root"],
};

/**
 * Violations that other work in progress removes, each with its reason. An entry is
 * `"importer -> imported"` (paths from the repository root). The test fails when an entry is no
 * longer a violation, so the list only shrinks.
 */
const KNOWN: Record<string, string> = {};

/** A source file to check: its path from the repository root and its text. */
interface Source {
  path: string;
  text: string;
}

/**
 * The relative module specifiers of a TypeScript file: static `import`/`export ... from`,
 * side-effect imports, `import("...")` and `new URL("....ts", import.meta.url)` (worker and
 * subprocess entry points). Comment lines (JSDoc examples) are skipped.
 */
function relativeImports(text: string): string[] {
  const code = text.split("\n").filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line)).join("\n");
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?[\s}*]from\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /new URL\(\s*["']([^"']+\.ts)["']\s*,\s*import\.meta\.url/g,
  ];
  const found = patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[1]));
  return found.filter((specifier) => specifier.startsWith("."));
}

/** The layer of a path from the repository root, or `undefined` outside `src/` and `mod.ts`. */
function layerOf(path: string): string | undefined {
  if (path === "mod.ts") return "mod";
  const parts = path.split("/");
  if (parts[0] !== "src") return undefined;
  return parts.length === 2 ? "root" : parts[1];
}

/** Every import of `sources` that breaks the layering, as `"importer -> imported"`. */
function layerViolations(sources: readonly Source[]): string[] {
  const violations: string[] = [];
  for (const { path, text } of sources) {
    const from = layerOf(path);
    if (from === undefined) continue;
    for (const specifier of relativeImports(text)) {
      const target = normalize(join(dirname(path), specifier));
      const to = layerOf(target);
      const allowed = to === from || (to !== undefined && (ALLOWED[from] ?? []).includes(to));
      if (!allowed) violations.push(`${path} -> ${target}`);
    }
  }
  return violations;
}

/** Every non-test `.ts` file under `dir` (relative to the repository root). */
async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) yield path;
  }
}

async function projectSources(): Promise<Source[]> {
  const paths = ["mod.ts"];
  for await (const path of sourceFiles("src")) paths.push(path);
  return await Promise.all(
    paths.sort().map(async (path) => ({ path, text: await Deno.readTextFile(join(ROOT, path)) })),
  );
}

Deno.test("the layering check names each import that points the wrong way", () => {
  const sources: Source[] = [
    { path: "src/protocol/a.ts", text: 'import { b } from "../ops/b.ts";\n' },
    { path: "src/ops/b.ts", text: 'import type { C } from "../protocol/c.ts";\n' },
    { path: "src/sandbox/d.ts", text: 'export { e } from "../exec/e.ts";\n' },
    { path: "src/llm/f.ts", text: 'const m = await import("../cache/g.ts");\n' },
    { path: "src/exec/h.ts", text: 'import {\n  x,\n  y,\n} from "../cli/_flags.ts";\n' },
    { path: "src/exec/i.ts", text: 'new Worker(new URL("../loop/w.ts", import.meta.url));\n' },
    { path: "src/loop/j.ts", text: 'import "../../perf/_rlm.ts";\nimport "../version.ts";\n' },
    {
      path: "src/trace/k.ts",
      text: ' * import { z } from "../cli/z.ts";\n// import "../cli/y.ts";\n',
    },
    { path: "src/cli/l.ts", text: 'import { m } from "../bench/m.ts";\n' },
    { path: "mod.ts", text: 'export { n } from "./src/cli/n.ts";\n' },
  ];
  assertEquals(layerViolations(sources), [
    "src/protocol/a.ts -> src/ops/b.ts",
    "src/sandbox/d.ts -> src/exec/e.ts",
    "src/llm/f.ts -> src/cache/g.ts",
    "src/exec/h.ts -> src/cli/_flags.ts",
    "src/exec/i.ts -> src/loop/w.ts",
    "src/loop/j.ts -> perf/_rlm.ts",
    "mod.ts -> src/cli/n.ts",
  ]);
});

/** What `deno info --json` reports of a module graph: each module and its dependencies. */
interface DenoInfo {
  modules: { specifier: string; dependencies?: { specifier: string }[] }[];
}

Deno.test("the import scanner finds every import Deno's own module graph finds", async () => {
  const scanned = new Map((await projectSources()).map((s) => [s.path, relativeImports(s.text)]));
  const missed: string[] = [];
  let checked = 0;
  for (const entry of ["main.ts", "mod.ts"]) {
    const info = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: ROOT,
      stdout: "piped",
    }).output();
    assert(info.success, `deno info ${entry} failed`);
    const graph: DenoInfo = JSON.parse(new TextDecoder().decode(info.stdout));
    for (const module of graph.modules) {
      if (!module.specifier.startsWith("file:")) continue;
      const path = relative(ROOT, fileURLToPath(module.specifier));
      const found = scanned.get(path);
      if (found === undefined) continue;
      for (const { specifier } of module.dependencies ?? []) {
        if (!specifier.startsWith(".")) continue;
        checked++;
        if (!found.includes(specifier)) missed.push(`${path} -> ${specifier}`);
      }
    }
  }
  assertEquals(missed, [], `imports the scanner missed:\n${missed.join("\n")}`);
  assert(checked > 200, `deno info reported only ${checked} relative imports`);
});

Deno.test("every import in src/ and mod.ts follows the layering of STYLE.md", async () => {
  const violations = layerViolations(await projectSources());
  const unexpected = violations.filter((violation) => !(violation in KNOWN));
  assertEquals(unexpected, [], `imports against the layering:\n${unexpected.join("\n")}`);
  const stale = Object.keys(KNOWN).filter((entry) => !violations.includes(entry));
  assertEquals(stale, [], `no longer violations, remove from KNOWN:\n${stale.join("\n")}`);
});
