/**
 * `eval` latency per runtime against `python3 -c` on the host, and the cost of an endless loop
 * (issue 4's targets).
 *
 * @module
 */
import { createPyodideSandbox } from "../src/sandbox/pyodide_sandbox.ts";
import { createWasiSandbox } from "../src/sandbox/wasi_sandbox.ts";
import { findExecutable } from "../src/sandbox/wasi_engine.ts";
import { wasmPythonPath, wasmtimeStandIn } from "../tests/sandbox/_runtimes.ts";
import type { BenchContext, BenchRow, BenchSuite } from "./_types.ts";
import { medianMs } from "./_measure.ts";

const SNIPPET = "print(sum(len(l) for l in context.splitlines()))";
const VARS = { context: "a line\nanother line\n" };

/** The sandbox suite. */
export const sandboxSuite: BenchSuite = {
  id: "sandbox",
  title: "Python sandbox (eval) latency",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const limits = { timeoutMs: 2000, memoryMb: 512, maxOutputBytes: 1 << 20 };
    const host = await medianMs(async () => {
      await new Deno.Command("python3", { args: ["-c", "print(1)"], stdout: "null" }).output();
    }, 5);
    const rows: BenchRow[] = [];
    const pyodide = createPyodideSandbox({ ...limits, snapshotDir: `${ctx.tmpDir}/snap` });
    ctx.log("Pyodide: building the snapshot once");
    await pyodide.run("pass", {});
    const pyMs = await medianMs(() => pyodide.run(SNIPPET, VARS), 5);
    rows.push({
      name: "eval of a small snippet, Pyodide, fresh process (from the memory snapshot)",
      value: pyMs / 1000,
      unit: "s",
      reference: { name: "python3 -c on the host", value: host / 1000 },
      target: "< 0.6 s",
      pass: pyMs < 600,
    });
    const wasm = wasmPythonPath();
    if (wasm) {
      const wasi = await createWasiSandbox(wasm, limits, { engine: "shim" });
      await wasi.run("pass", {});
      const wMs = await medianMs(() => wasi.run(SNIPPET, VARS), 5);
      rows.push({
        name: "eval of a small snippet, WASI python.wasm in Deno's engine (shim), fresh process",
        value: wMs / 1000,
        unit: "s",
        reference: { name: "python3 -c on the host", value: host / 1000 },
        target: "< 0.5 s",
        pass: wMs < 500,
      });
      rows.push(...await wasmtimeRows(ctx, wasm, limits, host));
    } else {
      ctx.log("no python.wasm (tools/build_python_wasm.sh): WASI rows left out");
    }
    ctx.log("an endless loop with a 2 s limit");
    const start = performance.now();
    await pyodide.run("while True: pass", {}).catch(() => {});
    const loop = (performance.now() - start) / 1000;
    rows.push({
      name: "endless loop under a 2 s limit, Pyodide (whole evaluation)",
      value: loop,
      unit: "s",
      reference: { name: "limit", value: 2 },
      target: "≤ limit + 0.5 s",
      pass: loop <= 2.5,
    });
    const alloc = performance.now();
    await pyodide.run("x = bytearray(6 * 1024**3)", {}).catch(() => {});
    rows.push({
      name: "6 GB allocation fails (Pyodide, whole evaluation)",
      value: (performance.now() - alloc) / 1000,
      unit: "s",
      target: "fails fast",
      pass: performance.now() - alloc < 2000,
    });
    return rows;
  },
};

/**
 * Per-eval latency under wasmtime: the wasmtime on PATH, else the stand-in CLI on the real engine
 * (tools/wasmtime_cli.py on the wasmtime wheel), which is what CI runs. Compiling python.wasm
 * happens once, before timing.
 */
async function wasmtimeRows(
  ctx: BenchContext,
  wasm: string,
  limits: { timeoutMs: number; memoryMb: number; maxOutputBytes: number },
  hostMs: number,
): Promise<BenchRow[]> {
  const onPath = findExecutable("wasmtime", Deno.env.get("PATH") ?? "");
  const standIn = wasmtimeStandIn();
  const path = onPath ? Deno.env.get("PATH") : standIn.dir;
  if (!path) {
    ctx.log(`no wasmtime (${standIn.why}): wasmtime rows left out`);
    return [];
  }
  const sandbox = await createWasiSandbox(wasm, limits, {
    engine: "wasmtime",
    path,
    cacheDir: `${ctx.tmpDir}/wasmtime`,
  });
  ctx.log(`${sandbox.description}: compiling python.wasm once`);
  await sandbox.run("pass", {});
  const ms = await medianMs(() => sandbox.run(SNIPPET, VARS), 5);
  const who = onPath ? "the wasmtime CLI" : "the stand-in CLI on the real engine";
  const start = performance.now();
  await sandbox.run("while True: pass", {}).catch(() => {});
  const loop = (performance.now() - start) / 1000;
  return [{
    name: `eval of a small snippet, WASI python.wasm under wasmtime (${who}), fresh process`,
    value: ms / 1000,
    unit: "s",
    reference: { name: "python3 -c on the host", value: hostMs / 1000 },
    target: "< 0.5 s",
    pass: ms < 500,
    note: onPath
      ? undefined
      : "tools/wasmtime_cli.py on wasmtime-py 49.0.0; its Python start-up is included",
  }, {
    name: `endless loop under a 2 s limit, wasmtime (fuel or SIGKILL, whole evaluation)`,
    value: loop,
    unit: "s",
    reference: { name: "limit", value: limits.timeoutMs / 1000 },
    target: "≤ limit + 0.5 s",
    pass: loop <= limits.timeoutMs / 1000 + 0.5,
  }];
}
