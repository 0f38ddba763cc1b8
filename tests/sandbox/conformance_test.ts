import { testRuntimes } from "./_runtimes.ts";
import { SandboxExceptionError, SandboxSyntaxError } from "../../src/protocol/sandbox_errors.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { runCli } from "../_cli.ts";

/** Code, variables, and the exact output every runtime must give. */
const CASES: {
  name: string;
  code: string;
  vars?: Record<string, string | string[]>;
  output: string;
}[] = [
  { name: "stdout", code: "print('hello')\nprint(1 + 1)", output: "hello\n2\n" },
  {
    name: "a text variable",
    code: "print(len(context.split()))",
    vars: { context: "a b c" },
    output: "3\n",
  },
  {
    name: "a list variable",
    code: "print(sum(int(x) for x in counts))",
    vars: { counts: ["1", "2", "39"] },
    output: "42\n",
  },
  {
    name: "result as text is returned as-is",
    code: "result = 'plain'\nprint('ignored')",
    output: "plain",
  },
  {
    name: "result of another type is JSON",
    code: "result = {'a': [1, 2.5, None, True]}",
    output: '{"a": [1, 2.5, null, true]}',
  },
  { name: "result as a number", code: "result = 7 * 6", output: "42" },
  {
    name: "unicode in and out",
    code: "print(context[::-1])",
    vars: { context: "héllo 😀" },
    output: "😀 olléh\n",
  },
  {
    name: "the standard library",
    code:
      "import re, json, collections\nprint(json.dumps(collections.Counter(re.findall(r'\\w+', 'a b a'))))",
    output: '{"a": 2, "b": 1}\n',
  },
  { name: "no output", code: "x = 1", output: "" },
];

for (const runtime of testRuntimes()) {
  Deno.test({
    name: `${runtime.name}: the sandbox gives the conformance answers${
      runtime.skip ? ` (skipped: ${runtime.skip})` : ""
    }`,
    ignore: runtime.skip !== undefined,
    async fn(t) {
      const snapshotDir = await Deno.makeTempDir({ prefix: "rlm-sandbox-conf-" });
      try {
        const sandbox = await runtime.make({
          timeoutMs: 10_000,
          memoryMb: 512,
          maxOutputBytes: 1 << 20,
        }, snapshotDir);
        assert(/^(pyodide@314\.0\.7|wasi:[0-9a-f]{64})$/.test(sandbox.identity), sandbox.identity);
        if (runtime.describes) {
          assert(runtime.describes.test(sandbox.description ?? ""), sandbox.description);
        }
        for (const c of CASES) {
          await t.step(
            c.name,
            async () => assertEquals(await sandbox.run(c.code, c.vars ?? {}), c.output),
          );
        }
        await t.step("a syntax error names its line", async () => {
          const e = await assertRejects(
            () => sandbox.run("x = 1\ny = (\n", {}),
            SandboxSyntaxError,
          );
          assert(e.line === 2 || e.line === 3, `line ${e.line}`);
        });
        await t.step(
          "an input named result is not the output unless the code sets it",
          async () => {
            assertEquals(await sandbox.run("print('new')", { result: "old" }), "new\n");
            assertEquals(await sandbox.run("result = result.upper()", { result: "old" }), "OLD");
          },
        );
        await t.step("a variable named like Python's own globals is refused", async () => {
          const e = await assertRejects(
            () => sandbox.run("print(1)", { __builtins__: "x" }),
            SandboxExceptionError,
          );
          assert(e.message.includes('"__builtins__" cannot be a Python global'), e.message);
          assertEquals(await sandbox.run("print(len(context))", { context: "abc" }), "3\n");
        });
        await t.step("an exception ends with its traceback tail", async () => {
          const e = await assertRejects(
            () => sandbox.run("def f():\n    return 1 / 0\nf()", {}),
            SandboxExceptionError,
          );
          assert(e.message.includes("ZeroDivisionError"), e.message);
          assert(e.message.includes("line 2, in f"), e.message);
        });
      } finally {
        await Deno.remove(snapshotDir, { recursive: true });
      }
    },
  });
}

Deno.test("eval through rlm exec: cached by code and input, and --no-eval removes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlm-eval-cli-" });
  try {
    await Deno.writeTextFile(
      `${dir}/plan.json`,
      JSON.stringify({
        operations: [{
          op: "eval",
          args: { code: "result = len(context.splitlines())", inputs: ["context"] },
        }],
      }),
    );
    await Deno.writeTextFile(`${dir}/ctx.txt`, "a\nb\nc\n");
    const args = [
      "exec",
      `${dir}/plan.json`,
      "-c",
      `${dir}/ctx.txt`,
      "--cache-dir",
      `${dir}/cache`,
    ];
    const first = await runCli([...args, "--json"]);
    assertEquals(first.code, 0, first.stderr);
    assertEquals(JSON.parse(first.stdout).value, "3");
    const again = JSON.parse((await runCli([...args, "--json"])).stdout);
    assertEquals(again.cached, 1);
    const off = await runCli([...args, "--no-eval"]);
    assertEquals(off.code, 2);
    assert(off.stderr.includes("eval is disabled with --no-eval"), off.stderr);
    const bad = await runCli([...args, "--eval-timeout", "soon"]);
    assertEquals(bad.code, 2);
    assert(bad.stderr.includes('Invalid --eval-timeout "soon"'), bad.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
