import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { rlmArgv } from "../perf/_rlm.ts";

const EXAMPLES = new URL("../docs/examples/", import.meta.url).pathname;

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "rlm-exec-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
async function writePlan(dir: string, plan: unknown): Promise<string> {
  const path = `${dir}/plan.json`;
  await Deno.writeTextFile(path, typeof plan === "string" ? plan : JSON.stringify(plan));
  return path;
}
/** A bad-input run: exit 2, one line on stderr that starts with `rlm:`, nothing on stdout. */
function assertUsageError(
  result: { code: number; stdout: string; stderr: string },
  pattern: RegExp,
) {
  assertEquals(result.code, 2, result.stderr);
  assertEquals(result.stdout, "");
  const lines = result.stderr.trim().split("\n");
  assertEquals(lines.length, 1, `one line expected, got:\n${result.stderr}`);
  assertMatch(lines[0], pattern);
  assert(!/\bat .*\.ts:\d+/.test(result.stderr), "no stack trace");
}

Deno.test("rlm exec counts like grep on the README example", async () => {
  await withTempDir(async (dir) => {
    const args = [
      "exec",
      `${EXAMPLES}errors.plan.json`,
      "-c",
      `${EXAMPLES}app.log`,
      "--cache-dir",
      dir,
    ];
    const first = await runCli(args);
    assertEquals(first.code, 0, first.stderr);
    assertEquals(first.stdout, "25\n");
    const second = await runCli([...args, "--json"]);
    assertEquals(second.code, 0, second.stderr);
    const json = JSON.parse(second.stdout);
    assertEquals(json.value, "25");
    assertEquals(json.cached, 2, "both ops come from the cache on a rerun");
  });
});

Deno.test("rlm exec reads the context from stdin and prints a list as JSON", async () => {
  await withTempDir(async (dir) => {
    const plan = await writePlan(dir, {
      operations: [{ op: "split", args: { input: "context", delimiter: "," }, bind: "parts" }],
    });
    const result = await runCli(["exec", plan, "--no-cache"], { stdin: "a,b,c" });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(JSON.parse(result.stdout), ["a", "b", "c"]);
  });
});

Deno.test("rlm exec binds file_0, file_1 and the joined context for several -c", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a.txt`, "one\ntwo\n");
    await Deno.writeTextFile(`${dir}/b.txt`, "three\n");
    const plan = await writePlan(dir, {
      operations: [
        { op: "count", args: { input: "file_1", mode: "lines" }, bind: "b" },
        { op: "grep", args: { input: "context", pattern: "^=== FILE" }, bind: "headers" },
        { op: "count", args: { input: "headers" }, bind: "h" },
        { op: "combine", args: { inputs: ["b", "h"], strategy: "concat" } },
      ],
    });
    const result = await runCli([
      "exec",
      plan,
      "--no-cache",
      "-c",
      `${dir}/a.txt`,
      "-c",
      `${dir}/b.txt`,
    ]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, "1\n2\n");
  });
});

Deno.test("rlm exec: every bad input is one line and exit 2", async (t) => {
  await withTempDir(async (dir) => {
    const log = `${EXAMPLES}app.log`;
    const cases: [string, unknown, string[], RegExp][] = [
      [
        "missing plan file",
        null,
        ["exec", `${dir}/nope.json`, "-c", log],
        /Cannot read plan file .*no such file/,
      ],
      ["malformed JSON", "{oops", ["-c", log], /not valid JSON/],
      ["not a plan", { steps: [] }, ["-c", log], /operations/],
      [
        "unknown op",
        { operations: [{ op: "grepp", args: {} }] },
        ["-c", log],
        /operation 1.*grepp/,
      ],
      [
        "invalid regex",
        { operations: [{ op: "grep", args: { input: "context", pattern: "(" } }] },
        ["-c", log],
        /operation 1 \(grep\)/,
      ],
      [
        "missing variable",
        { operations: [{ op: "count", args: { input: "logs" } }] },
        ["-c", log],
        /variable "logs" is not defined/,
      ],
      ["missing context file", { operations: [{ op: "count", args: { input: "context" } }] }, [
        "-c",
        `${dir}/missing.log`,
      ], /Cannot read context file .*missing\.log.*no such file/],
      ["context is a directory", { operations: [{ op: "count", args: { input: "context" } }] }, [
        "-c",
        dir,
      ], /is a directory/],
      ["unknown flag", { operations: [{ op: "count", args: { input: "context" } }] }, [
        "-c",
        log,
        "--frobnicate",
      ], /unknown option/],
      ["unknown executor", { operations: [{ op: "count", args: { input: "context" } }] }, [
        "-c",
        log,
        "--executor",
        "cloud",
      ], /Unknown executor "cloud"/],
    ];
    for (const [name, plan, extra, pattern] of cases) {
      await t.step(name, async () => {
        const args = plan === null
          ? extra
          : ["exec", await writePlan(dir, plan), "--no-cache", ...extra];
        assertUsageError(await runCli(args), pattern);
      });
    }
  });
});

Deno.test("rlm --version and --help exit 0", async () => {
  const version = await runCli(["--version"]);
  assertEquals(version.code, 0);
  assertMatch(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const help = await runCli(["exec", "--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /--context/);
});

Deno.test("rlm exec runs a plan with map against a model, cached on rerun", async () => {
  const { startScriptedServer } = await import("./fixtures/scripted_server.ts");
  await using server = startScriptedServer({
    reply: (r) => ({
      content: String(
        r.messages[1].content.split("\n").filter((l) => l.includes("Z ERROR")).length,
      ),
    }),
  });
  await withTempDir(async (dir) => {
    const plan = await writePlan(dir, {
      operations: [
        { op: "chunk", args: { input: "context", n: 4 }, bind: "chunks" },
        { op: "map", args: { prompt: "Count ERROR lines", input: "chunks" }, bind: "counts" },
        { op: "combine", args: { inputs: ["counts"], strategy: "sum" } },
      ],
    });
    const args = [
      "exec",
      plan,
      "-c",
      `${EXAMPLES}app.log`,
      "--base-url",
      server.url,
      "--cache-dir",
      dir,
    ];
    const first = await runCli(args);
    assertEquals(first.code, 0, first.stderr);
    const errors = (await Deno.readTextFile(`${EXAMPLES}app.log`)).split("\n").filter((l) =>
      l.includes("Z ERROR")
    );
    assertEquals(first.stdout, `${errors.length}\n`);
    assertEquals(server.requests.length, 4);
    const again = await runCli(args);
    assertEquals(again.stdout, first.stdout);
    assertEquals(server.requests.length, 4, "the rerun makes no model call");
    const budget = await runCli([...args, "--no-cache", "--max-llm-calls", "2"]);
    assertEquals(budget.code, 3, budget.stderr);
    assertMatch(budget.stderr, /budget of 2 calls ran out/);
  });
});

/**
 * A DENO_DIR holding the npm packages (hard links into the current cache) but none of the
 * registry's package lists: the state a new DENO_DIR is in after `deno task` fetched the locked
 * tarballs. `undefined` when the cache cannot be linked (another filesystem).
 */
async function packagesOnlyDenoDir(dir: string): Promise<string | undefined> {
  await rlmArgv([]); // caches the locked packages in the current DENO_DIR first
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const npmCache: string = JSON.parse(new TextDecoder().decode(info.stdout)).npmCache;
  const registry = `${npmCache}/registry.npmjs.org`;
  const target = `${dir}/deno/npm/registry.npmjs.org`;
  const found = await new Deno.Command("find", {
    args: [".", "-mindepth", "2", "-maxdepth", "3", "-type", "d", "-name", "[0-9]*"],
    cwd: registry,
  }).output();
  for (const rel of new TextDecoder().decode(found.stdout).trim().split("\n")) {
    const parent = `${target}/${rel.slice(2, rel.lastIndexOf("/"))}`;
    await Deno.mkdir(parent, { recursive: true });
    const cp = await new Deno.Command("cp", { args: ["-al", `${registry}/${rel}`, parent] })
      .output();
    if (!cp.success) return undefined;
  }
  return `${dir}/deno`;
}

Deno.test("nothing of Deno's reaches stderr when the package lists are not cached yet", async () => {
  await withTempDir(async (dir) => {
    const denoDir = await packagesOnlyDenoDir(dir);
    assert(denoDir, "the npm cache can be hard-linked into a temp dir");
    const env = { DENO_DIR: denoDir };
    const args = ["exec", `${EXAMPLES}errors.plan.json`, "-c", `${EXAMPLES}app.log`, "--no-cache"];
    const ok = await runCli(args, { env });
    assertEquals([ok.code, ok.stdout, ok.stderr], [0, "25\n", ""]);
    const bad = await runCli(["exec", `${dir}/missing.json`], { env });
    assertUsageError(bad, /^rlm: Cannot read plan file/);
  });
});
