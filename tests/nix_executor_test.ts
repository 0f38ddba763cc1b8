import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { tempDir as tempDirOf } from "./_temp_dir.ts";
import { needNix } from "./_tools.ts";
import { wasmPythonPath } from "./sandbox/_runtimes.ts";
import { isRootRequest, startScriptedServer, turnsSoFar } from "./fixtures/scripted_server.ts";
import { hashValue } from "../src/cache/hash.ts";
import { createLocalExecutor } from "../src/exec/local/local_executor.ts";
import { createNixExecutor } from "../src/exec/nix/nix_executor.ts";
import { parseOperation } from "../src/ops/parse_operation.ts";
import { findWasiStdlib } from "../src/sandbox/wasi_sandbox.ts";

import { NixResultStore } from "../src/exec/nix/nix_result_store.ts";

const noNix = await needNix();
const hasNix = noNix === undefined;
const skip = noNix ? ` (skipped: ${noNix})` : "";
const skipEval = skip ||
  (wasmPythonPath() ? "" : " (skipped: no python.wasm; run tools/build_python_wasm.sh)");
const EXAMPLES = new URL("../docs/examples/", import.meta.url).pathname;

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "rlm-nix-test-" });
}

/**
 * Write a context (the example log plus a line no other run had, so its ops are new to the
 * store) and a plan into `dir`; their paths.
 */
async function writeCase(
  dir: string,
  plan: Record<string, unknown>,
  context?: string,
): Promise<{ context: string; plan: string }> {
  const paths = { context: `${dir}/ctx.log`, plan: `${dir}/plan.json` };
  await Deno.writeTextFile(
    paths.context,
    context ??
      (await Deno.readTextFile(`${EXAMPLES}app.log`)) + `ERROR unique ${crypto.randomUUID()}\n`,
  );
  await Deno.writeTextFile(paths.plan, JSON.stringify(plan));
  return paths;
}

Deno.test({
  name:
    `rlm exec --executor nix gives the local bytes, one derivation per op, and a second cache dir is served from the store${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await tempDir();
    try {
      // A context no other test uses, so the first build is a real build.
      const { context, plan } = await writeCase(dir, {
        operations: [
          { op: "grep", args: { input: "context", pattern: "(?i)error" }, bind: "e" },
          { op: "chunk", args: { input: "e", n: 3 }, bind: "c" },
          { op: "count", args: { input: "context", mode: "words" }, bind: "w" },
          { op: "combine", args: { inputs: ["c"], strategy: "json" } },
        ],
      });
      const local = await runCli(["exec", plan, "-c", context, "--no-cache"]);
      const first = await runCli([
        "exec",
        plan,
        "-c",
        context,
        "--executor",
        "nix",
        "--cache-dir",
        `${dir}/a`,
        "--json",
      ]);
      assertEquals(first.code, 0, first.stderr);
      assertEquals(JSON.parse(first.stdout).value + "\n", local.stdout, "byte-identical to local");
      assertEquals(JSON.parse(first.stdout).cached, 0);
      const index = [...Deno.readDirSync(`${dir}/a/nix/index/op`)].flatMap((
        d,
      ) => [...Deno.readDirSync(`${dir}/a/nix/index/op/${d.name}`)]);
      assertEquals(index.length, 4, "one store result per op");
      const second = JSON.parse(
        (await runCli([
          "exec",
          plan,
          "-c",
          context,
          "--executor",
          "nix",
          "--cache-dir",
          `${dir}/b`,
          "--json",
        ])).stdout,
      );
      assertEquals(second.cached, 4, "a fresh cache dir on the same store rebuilds nothing");
      const stats = await runCli(["cache", "stats", "--cache-dir", `${dir}/a`]);
      assertMatch(stats.stdout, /nix store\s+4 op results/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `rlm run --executor nix keeps model calls in the store; push then pull makes a fresh cache dir model-free${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await tempDir();
    try {
      const nonce = crypto.randomUUID();
      await using server = startScriptedServer({
        reply: (r) => {
          if (!isRootRequest(r)) return { content: "7" };
          return turnsSoFar(r) === 0
            ? {
              content: JSON.stringify({
                mode: "commit",
                operations: [
                  { op: "chunk", args: { input: "context", n: 2 }, bind: "c" },
                  { op: "map", args: { prompt: `count ${nonce}`, input: "c" }, bind: "m" },
                  { op: "combine", args: { inputs: ["m"], strategy: "sum" }, bind: "t" },
                ],
              }),
            }
            : { content: '{"mode":"final","answer_var":"t"}' };
        },
      });
      const args = [
        "run",
        "-q",
        `q ${nonce}`,
        "-c",
        `${EXAMPLES}app.log`,
        "--base-url",
        server.url,
        "--executor",
        "nix",
      ];
      const first = await runCli([...args, "--cache-dir", `${dir}/a`]);
      assertEquals(first.code, 0, first.stderr);
      assertEquals(first.stdout, "14\n");
      const calls = server.requests.length;
      assertEquals(calls, 4);
      const again = await runCli([...args, "--cache-dir", `${dir}/b`]);
      assertEquals(again.stdout, "14\n");
      assertEquals(
        server.requests.length,
        calls,
        "a second cache dir on the same store makes no model call",
      );

      const bc = `file://${dir}/binary-cache`;
      const push = await runCli(["cache", "push", bc]);
      assertEquals(push.code, 0, push.stderr);
      assertMatch(push.stdout, /pushed \d+ results/);
      const roots = [...Deno.readDirSync(`${dir}/a/nix/roots/llm`)];
      assertEquals(roots.length, 4, "every model response is rooted");
      // Forget the results locally (drop the roots, delete the paths), as on a fresh machine.
      const llmPaths = roots.map((r) => Deno.readLinkSync(`${dir}/a/nix/roots/llm/${r.name}`));
      for (const cacheDir of ["a", "b"]) {
        await Deno.remove(`${dir}/${cacheDir}/nix`, { recursive: true });
      }
      const del = await new Deno.Command("nix-store", {
        args: ["--delete", ...llmPaths],
        stderr: "piped",
      }).output();
      assertEquals(del.code, 0, new TextDecoder().decode(del.stderr));
      assert(llmPaths.every((p) => !existsSync(p)), "the model responses are gone from the store");
      const pull = await runCli(["cache", "pull", bc, "--cache-dir", `${dir}/c`]);
      assertEquals(pull.code, 0, pull.stderr);
      assertMatch(pull.stdout, /pulled \d+ results/);
      assert(llmPaths.every(existsSync), "pull brought them back");
      assert(
        !existsSync(`${dir}/c/nix/store-listed`),
        "pull indexed them: no store listing needed",
      );
      const third = await runCli([...args, "--cache-dir", `${dir}/c`]);
      assertEquals(third.stdout, "14\n");
      assertEquals(server.requests.length, calls, "after a pull, the run is model-free");
      const bad = await runCli(["cache", "push", "ftp://nowhere"]);
      assertEquals(bad.code, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("without Nix, --executor nix is a one-line error that says what to install", async () => {
  const dir = await tempDir();
  try {
    const r = await runCli(
      [
        "exec",
        `${EXAMPLES}errors.plan.json`,
        "-c",
        `${EXAMPLES}app.log`,
        "--executor",
        "nix",
        "--cache-dir",
        dir,
      ],
      { env: { PATH: "/nonexistent" } },
    );
    assertEquals(r.code, 1);
    assertMatch(
      r.stderr.trim(),
      /^rlm: The nix executor needs Nix \(nix-store was not found\): install it/,
    );
    const noCache = await runCli([
      "exec",
      `${EXAMPLES}errors.plan.json`,
      "-c",
      `${EXAMPLES}app.log`,
      "--executor",
      "nix",
      "--no-cache",
    ]);
    assertEquals(noCache.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    `eval with no inputs leaves out __x__ variables under the nix executor too, as outside Nix${skipEval}`,
  ignore: skipEval !== "",
  async fn() {
    await using dir = await tempDirOf();
    const plan = `${dir.path}/plan.json`;
    const nonce = Math.floor(Math.random() * 1e9);
    await Deno.writeTextFile(
      plan,
      JSON.stringify({
        operations: [
          { op: "count", args: { input: "context" }, bind: "__n__" },
          {
            op: "eval",
            args: { code: `result = f"{'__n__' in globals()} {len(context)} ${nonce}"` },
          },
        ],
      }),
    );
    const wasm = wasmPythonPath() as string;
    const args = ["exec", plan, "-c", `${EXAMPLES}app.log`, "--wasm-python", wasm];
    const local = await runCli([...args, "--no-cache"]);
    assertEquals(local.code, 0, local.stderr);
    assertMatch(local.stdout, /^False \d+ \d+\n$/);
    const nix = await runCli([...args, "--executor", "nix", "--cache-dir", `${dir.path}/c`]);
    assertEquals([nix.code, nix.stdout], [0, local.stdout], nix.stderr);
  },
});

Deno.test({
  name: `with a WASI python.wasm, eval is a derivation under the nix executor${skipEval}`,
  ignore: skipEval !== "",
  async fn() {
    const dir = await tempDir();
    try {
      const wasm = wasmPythonPath() as string;
      const plan = `${dir}/plan.json`;
      await Deno.writeTextFile(
        plan,
        JSON.stringify({
          operations: [{
            op: "eval",
            args: { code: `result = len(context.split()) + ${Math.floor(Math.random() * 1e9)}` },
          }],
        }),
      );
      const args = ["exec", plan, "-c", `${EXAMPLES}app.log`, "--wasm-python", wasm];
      const local = await runCli([...args, "--no-cache"]);
      assertEquals(local.code, 0, local.stderr);
      const nix = await runCli([...args, "--executor", "nix", "--cache-dir", `${dir}/a`, "--json"]);
      assertEquals(nix.code, 0, nix.stderr);
      assertEquals(
        JSON.parse(nix.stdout).value + "\n",
        local.stdout,
        "the same answer as the WASI sandbox outside Nix",
      );
      assert(existsSync(`${dir}/a/nix/index/value`), "its inputs were added to the store");
      const again = await runCli([
        ...args,
        "--executor",
        "nix",
        "--cache-dir",
        `${dir}/b`,
        "--json",
      ]);
      assertEquals(JSON.parse(again.stdout).cached, 1, "served from the store");
      await Deno.writeTextFile(
        plan,
        JSON.stringify({ operations: [{ op: "eval", args: { code: "while True: pass" } }] }),
      );
      const loop = await runCli([
        ...args,
        "--executor",
        "nix",
        "--cache-dir",
        `${dir}/a`,
        "--eval-timeout",
        "1",
      ]);
      assertEquals(loop.code, 2);
      assertMatch(loop.stderr, /eval: the code ran longer than the 1 s limit/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `a batch realised by several nix-builds at once gives each op its own outcome, a failed build among them${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await tempDir();
    try {
      const text = `ERROR a\nok b\nERROR c ${crypto.randomUUID()}\n`;
      const vars = new Map([["context", { value: text, hash: hashValue(text) }]]);
      const count = (pattern: string) => ({
        op: parseOperation({ op: "count", args: { input: "context", mode: "matches", pattern } }),
        vars,
      });
      const evalOf = (code: string) => ({
        op: parseOperation({ op: "eval", args: { code } }),
        vars,
      });
      const wasm = wasmPythonPath();
      const stdlib = wasm && (await findWasiStdlib(wasm));
      // maxJobs 4: two nix-builds, ops dealt round-robin (0 and 2 to one, 1 and 3 to the other).
      const executor = await createNixExecutor({
        cacheDir: `${dir}/cache`,
        maxJobs: 4,
        wasiPython: wasm && stdlib
          ? { wasm, stdlib, limits: { timeoutMs: 1000, memoryMb: 256, maxOutputBytes: 1 << 20 } }
          : undefined,
      });
      const tasks = wasm && stdlib
        ? [count("ERROR"), evalOf("while True: pass"), count("b|c"), evalOf("print(6 * 7)")]
        : [count("ERROR"), count("a"), count("b|c"), count("x")];
      const local = await createLocalExecutor({}).run(tasks.filter((t) => t.op.op === "count"));
      const got = await executor.run(tasks);
      const value = (o: (typeof got)[number]) => (o.ok ? o.value : `error: ${o.error.message}`);
      assertEquals(value(got[0]), value(local[0]));
      assertEquals(value(got[2]), value(local[wasm && stdlib ? 1 : 2]));
      if (wasm && stdlib) {
        assertMatch(String(value(got[1])), /^error: eval: the code ran longer than the 1 s limit/);
        assertEquals(value(got[3]), "42\n");
      } else {
        assertEquals([value(got[1]), value(got[3])], [value(local[1]), value(local[3])]);
      }
      assert(got.every((o) => !o.ok || o.cached === false), "every op was built");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `a cache dir looks through the store for others' results once, then trusts its index${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await tempDir();
    try {
      const nonce = crypto.randomUUID();
      const key = (n: number) => hashValue(`${nonce}-${n}`);
      const a = new NixResultStore(`${dir}/a`);
      await a.put("llm", key(1), `answer one ${nonce}`);
      await a.put("llm", key(3), `answer three ${nonce}`);
      // A new cache dir finds a result made under another one, by the key in its store name.
      const b = new NixResultStore(`${dir}/b`);
      assertEquals(await b.get("llm", key(1)), `answer one ${nonce}`);
      assert(existsSync(`${dir}/b/nix/store-listed`), "b listed the store once");
      // Later results of a are not looked for again in b's later runs: its own index decides.
      await a.put("llm", key(2), `answer two ${nonce}`);
      assertEquals(await new NixResultStore(`${dir}/b`).get("llm", key(2)), undefined);
      // ...while b's first listing indexed everything it saw, for later runs too.
      assertEquals(
        await new NixResultStore(`${dir}/b`).get("llm", key(3)),
        `answer three ${nonce}`,
      );
      // A cache dir that never listed still finds both.
      assertEquals(await new NixResultStore(`${dir}/c`).get("llm", key(2)), `answer two ${nonce}`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** A `nix-build` on PATH that counts the build rounds (invocations with `--expr`) in `log`. */
async function countingNixBuild(dir: string, log: string): Promise<Record<string, string>> {
  const real = (await new Deno.Command("sh", { args: ["-c", "command -v nix-build"] }).output())
    .stdout;
  await Deno.mkdir(`${dir}/bin`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/bin/nix-build`,
    `#!/bin/sh\ncase "$*" in *--expr*) echo round >> "${log}";; esac\nexec ${
      new TextDecoder().decode(real).trim()
    } "$@"\n`,
  );
  await Deno.chmod(`${dir}/bin/nix-build`, 0o755);
  return { PATH: `${dir}/bin:${Deno.env.get("PATH")}` };
}

function rounds(log: string): number {
  return existsSync(log) ? Deno.readTextFileSync(log).trim().split("\n").length : 0;
}

function indexed(dir: string, ns: string): number {
  const root = `${dir}/nix/index/${ns}`;
  if (!existsSync(root)) return 0;
  return [...Deno.readDirSync(root)].flatMap((d) => [...Deno.readDirSync(`${root}/${d.name}`)])
    .length;
}

Deno.test({
  name:
    `a chain of pure ops is one graph built in one round; a rerun and another cache dir are served from the store${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await tempDir();
    try {
      // Two connected components: grep → (count, chunk → combine), and count of the context.
      const { context, plan } = await writeCase(dir, {
        operations: [
          { op: "grep", args: { input: "context", pattern: "(?i)error" }, bind: "e" },
          { op: "count", args: { input: "e" }, bind: "n" },
          { op: "chunk", args: { input: "e", n: 3 }, bind: "c" },
          { op: "combine", args: { inputs: ["c"], strategy: "json" }, bind: "j" },
          { op: "count", args: { input: "context", mode: "words" }, bind: "w" },
        ],
        output: "j",
      });
      const local = await runCli(["exec", plan, "-c", context, "--no-cache"]);
      assertEquals(local.code, 0, local.stderr);
      const log = `${dir}/rounds`;
      const env = await countingNixBuild(dir, log);
      const exec = (cacheDir: string) =>
        runCli([
          "exec",
          plan,
          "-c",
          context,
          "--executor",
          "nix",
          "--cache-dir",
          cacheDir,
          "--json",
        ], {
          env,
        });
      const first = await exec(`${dir}/a`);
      assertEquals(first.code, 0, first.stderr);
      assertEquals(JSON.parse(first.stdout).value + "\n", local.stdout, "byte-identical to local");
      assertEquals(JSON.parse(first.stdout).cached, 0);
      // One round: one nix-build per connected component, all at once (level by level, it was
      // five: grep and the word count, then count and chunk, then combine).
      assertEquals(rounds(log), 2);
      assertEquals(indexed(`${dir}/a`, "op"), 5, "every op indexed under its key after the build");
      assertEquals(indexed(`${dir}/a`, "value"), 1, "only the context was added to the store");

      const again = await exec(`${dir}/a`);
      assertEquals(JSON.parse(again.stdout).cached, 5);
      assertEquals(rounds(log), 2, "a rerun is answered by the index, without Nix");
      const other = await exec(`${dir}/b`);
      assertEquals(JSON.parse(other.stdout).value + "\n", local.stdout);
      assertEquals(JSON.parse(other.stdout).cached, 5, "another cache dir rebuilds nothing");
      assertEquals(indexed(`${dir}/b`, "op"), 5);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `a failing op in a chain built in one round fails the plan at that op, its dependents not run${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await tempDir();
    try {
      const { context, plan } = await writeCase(dir, {
        operations: [
          { op: "count", args: { input: "context", mode: "words" }, bind: "w" },
          { op: "grep", args: { input: "context", pattern: "(unclosed" }, bind: "e" },
          { op: "count", args: { input: "e" }, bind: "n" },
          { op: "chunk", args: { input: "e", n: 2 }, bind: "c" },
        ],
      }, `ERROR a\nok b ${crypto.randomUUID()}\n`);
      const local = await runCli(["exec", plan, "-c", context, "--no-cache"]);
      assertEquals(local.code, 2);
      assertMatch(local.stderr, /operation 2 \(grep\)/);
      for (const cacheDir of [`${dir}/a`, `${dir}/a`, `${dir}/b`]) {
        const nix = await runCli([
          "exec",
          plan,
          "-c",
          context,
          "--executor",
          "nix",
          "--cache-dir",
          cacheDir,
        ]);
        assertEquals([nix.code, nix.stderr], [local.code, local.stderr], cacheDir);
      }
      assertEquals(indexed(`${dir}/a`, "value"), 1, "nothing but the context was added");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
