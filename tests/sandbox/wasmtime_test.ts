/**
 * What only the wasmtime runtime has: fuel, wasmtime's memory cap, a writable preopened folder
 * that must not outlive an evaluation, the command line rlm gives the CLI, and how a run picks
 * the engine. "wasmtime" here is tools/wasmtime_cli.py on the real Wasmtime engine (see
 * `_runtimes.ts`).
 *
 * @module
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { runCli } from "../_cli.ts";
import { createWasiSandbox } from "../../src/sandbox/wasi_sandbox.ts";
import { runCommand } from "../../src/sandbox/wasmtime_sandbox.ts";
import { SandboxMemoryError, SandboxTimeoutError } from "../../src/protocol/sandbox_errors.ts";
import { wasmPythonPath, wasmtimeStandIn } from "./_runtimes.ts";
import { tempDir } from "../_temp_dir.ts";

const wasm = wasmPythonPath();
const standIn = wasmtimeStandIn();
const skip = !wasm ? "no python.wasm: run tools/build_python_wasm.sh" : standIn.why;
const limits = { timeoutMs: 20_000, memoryMb: 128, maxOutputBytes: 1 << 16 };

Deno.test({
  name: `wasmtime: fuel, memory cap and a fresh folder per evaluation${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn(t) {
    await using dir = await tempDir("rlm-wasmtime-test-");
    const sandbox = await createWasiSandbox(wasm!, limits, {
      engine: "wasmtime",
      path: standIn.dir,
      cacheDir: dir.path,
      fuel: 2e9,
    });
    assertEquals(sandbox.engine, "wasmtime");
    assertEquals(await sandbox.run("print(6 * 7)", {}), "42\n");

    await t.step("an endless loop runs out of fuel long before the 20 s wall clock", async () => {
      const start = performance.now();
      const e = await assertRejects(() => sandbox.run("while True: pass", {}), SandboxTimeoutError);
      assertMatch(e.message, /used up its fuel \(2\.0e\+9 WebAssembly instructions/);
      assert(performance.now() - start < 10_000, `${performance.now() - start} ms`);
    });

    await t.step("-W max-memory-size caps linear memory at --eval-memory", async () => {
      const code = "x = bytearray(150 * 1024**2); print(len(x))";
      await assertRejects(() => sandbox.run(code, {}), SandboxMemoryError);
      const roomier = await createWasiSandbox(wasm!, { ...limits, memoryMb: 512 }, {
        engine: "wasmtime",
        path: standIn.dir,
        cacheDir: dir.path,
      });
      assertEquals(await roomier.run(code, {}), "157286400\n");
    });

    await t.step("what the code writes is gone at the next evaluation", async () => {
      const wrote = await sandbox.run(
        "open('/note.txt', 'w').write('x')\nopen('/lib/' + __import__('os').listdir('/lib')[0], 'wb').write(b'broken')\nprint('wrote')",
        {},
      );
      assertEquals(wrote, "wrote\n");
      // The stdlib zip it overwrote was its own copy: the next interpreter starts fine.
      assertEquals(
        await sandbox.run("import os, json; print(sorted(os.listdir('/')))", {}),
        "['lib']\n",
      );
    });
  },
});

Deno.test("wasmtime: the command line grants one folder, two variables, and no network", () => {
  const { args, env } = runCommand(
    "/bin/wasmtime",
    "/c/python.cwasm",
    "/tmp/r",
    "python311.zip",
    5,
    64,
  );
  const [own, guest] = [args.slice(0, args.indexOf("--")), args.slice(args.indexOf("--") + 1)];
  assertEquals(env, {});
  assertEquals(own.filter((_a, i) => own[i - 1] === "--dir"), ["/tmp/r::/"]);
  assertEquals(own.filter((_a, i) => own[i - 1] === "--env"), [
    "PYTHONHOME=/",
    "PYTHONPATH=/lib/python311.zip",
  ]);
  assertEquals(own.filter((_a, i) => own[i - 1] === "-W"), [
    "fuel=5",
    `max-memory-size=${64 << 20}`,
  ]);
  assert(!own.includes("-S"), "no WASI options (no inherit-network, no inherit-env, no tcp)");
  assertEquals(guest.slice(0, 3), ["/c/python.cwasm", "-S", "-c"]);
});

Deno.test({
  name: `wasmtime: the stand-in rejects flags it does not implement${
    standIn.why ? ` (skipped: ${standIn.why})` : ""
  }`,
  ignore: standIn.why !== undefined,
  async fn() {
    for (
      const args of [["run", "-S", "inherit-network", "x.wasm"], ["run", "--env", "HOME", "x.wasm"]]
    ) {
      const out = await new Deno.Command(`${standIn.dir}/wasmtime`, { args, stderr: "piped" })
        .output();
      assertEquals(out.code, 2, args.join(" "));
      assertMatch(new TextDecoder().decode(out.stderr), /^error: /);
    }
  },
});

Deno.test({
  name: `wasmtime: rlm exec picks wasmtime on PATH, RLM_WASI_ENGINE forces or rejects${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn() {
    await using dir = await tempDir("rlm-wasmtime-test-");
    const plan = `${dir.path}/plan.json`;
    await Deno.writeTextFile(
      plan,
      JSON.stringify({ operations: [{ op: "eval", args: { code: "result = context.upper()" } }] }),
    );
    await Deno.writeTextFile(`${dir.path}/ctx.txt`, "abc");
    const cache = `${dir.path}/cache`;
    const args = [
      "exec",
      plan,
      "-c",
      `${dir.path}/ctx.txt`,
      "--wasm-python",
      wasm!,
      "--cache-dir",
      cache,
    ];
    const path = `${standIn.dir}:${Deno.env.get("PATH")}`;
    const auto = await runCli(args, { env: { PATH: path } });
    assertEquals([auto.code, auto.stdout], [0, "ABC\n"], auto.stderr);
    assert(await hasCompiledModule(`${cache}/sandbox`), "wasmtime compiled python.wasm: it ran");
    const forced = await runCli(args, {
      env: { PATH: "/usr/bin:/bin", RLM_WASI_ENGINE: "wasmtime" },
    });
    assertEquals(forced.code, 2);
    assertMatch(forced.stderr, /RLM_WASI_ENGINE=wasmtime, but there is no wasmtime executable/);
    // With --no-cache, the compiled module lives in a temp folder that is gone after the run.
    const tmp = `${dir.path}/tmp`;
    await Deno.mkdir(tmp);
    const noCache = await runCli([...args.slice(0, -2), "--no-cache"], {
      env: { PATH: path, TMPDIR: tmp },
    });
    assertEquals([noCache.code, noCache.stdout], [0, "ABC\n"], noCache.stderr);
    assertEquals([...Deno.readDirSync(tmp)].map((e) => e.name), []);
    const bad = await runCli(args, { env: { PATH: path, RLM_WASI_ENGINE: "v8" } });
    assertEquals(bad.code, 2);
    assertMatch(bad.stderr, /Invalid RLM_WASI_ENGINE "v8"/);
  },
});

/** Whether a python.wasm compiled by wasmtime is in `dir`. */
async function hasCompiledModule(dir: string): Promise<boolean> {
  try {
    for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".cwasm")) return true;
  } catch { /* no folder */ }
  return false;
}
