/**
 * `--wasm-python` with or without a `lib/python3XY.zip` beside it: without one, python.wasm must
 * carry its standard library inside (like vmware-labs' python-3.12.0.wasm); ours does not, so it
 * must fail with one clear line, on both engines, and work again once the zip is beside it.
 *
 * @module
 */
import { assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { createWasiSandbox, findWasiStdlib } from "../../src/sandbox/wasi_sandbox.ts";
import { SandboxRuntimeError } from "../../src/protocol/sandbox_errors.ts";
import { wasmPythonPath, wasmtimeStandIn } from "./_runtimes.ts";
import { runCli } from "../_cli.ts";
import { firstReason, needNix, skipUnless } from "../_tools.ts";
import { tempDir } from "../_temp_dir.ts";

const wasm = wasmPythonPath();
const standIn = wasmtimeStandIn();
const limits = { timeoutMs: 20_000, memoryMb: 256, maxOutputBytes: 1 << 16 };
const engines = [
  { engine: "shim" as const, skip: wasm ? undefined : "no python.wasm" },
  { engine: "wasmtime" as const, skip: wasm ? standIn.why : "no python.wasm" },
];

for (const { engine, skip } of engines) {
  Deno.test({
    name: `${engine}: a python.wasm without a stdlib zip is accepted, and fails in one clear line${
      skip ? ` (skipped: ${skip})` : ""
    }`,
    ignore: skip !== undefined,
    async fn() {
      await using dir = await tempDir("rlm-wasi-stdlib-");
      const alone = `${dir.path}/python.wasm`;
      await Deno.copyFile(wasm!, alone);
      const options = { engine, path: standIn.dir, cacheDir: `${dir.path}/cache` };
      const bare = await createWasiSandbox(alone, limits, options);
      const e = await assertRejects(() => bare.run("print(1)", {}), SandboxRuntimeError);
      assertMatch(e.message, /^python\.wasm cannot start: Python found no standard library/);
      assertEquals(e.message.includes("\n"), false);
      await Deno.mkdir(`${dir.path}/lib`);
      const zip = (await findWasiStdlib(wasm!))!;
      await Deno.copyFile(zip, `${dir.path}/lib/${zip.slice(zip.lastIndexOf("/") + 1)}`);
      const whole = await createWasiSandbox(alone, limits, options);
      assertEquals(await whole.run("import json; print(json.dumps([1]))", {}), "[1]\n");
    },
  });
}

Deno.test({
  ...skipUnless(
    "nix executor: eval through a python.wasm without a stdlib zip builds it without one, and a wasm that cannot start is exit 1 in one line",
    firstReason(wasm ? undefined : "no python.wasm", await needNix()),
  ),
  async fn() {
    await using dir = await tempDir("rlm-wasi-stdlib-");
    const alone = `${dir.path}/python.wasm`;
    await Deno.copyFile(wasm!, alone);
    await Deno.writeTextFile(`${dir.path}/c.txt`, `${dir.path}\n`);
    await Deno.writeTextFile(
      `${dir.path}/plan.json`,
      JSON.stringify({ operations: [{ op: "eval", args: { code: "print(1 + 2)" } }] }),
    );
    const args = ["exec", `${dir.path}/plan.json`, "-c", `${dir.path}/c.txt`, "--executor", "nix"];
    const cache = ["--cache-dir", `${dir.path}/cache`, "--wasm-python", alone];
    const bare = await runCli([...args, ...cache]);
    assertEquals(bare.code, 1, bare.stderr);
    assertMatch(bare.stderr, /python\.wasm cannot start: Python found no standard library/);
    assertEquals(bare.stderr.trim().split("\n").length, 1, bare.stderr);
    await Deno.mkdir(`${dir.path}/lib`);
    const zip = (await findWasiStdlib(wasm!))!;
    await Deno.copyFile(zip, `${dir.path}/lib/${zip.slice(zip.lastIndexOf("/") + 1)}`);
    const whole = await runCli([...args, ...cache]);
    assertEquals([whole.code, whole.stdout], [0, "3\n"], whole.stderr);
  },
});
