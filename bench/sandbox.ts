/**
 * `eval` latency per runtime against `python3 -c` on the host, and the cost of an endless loop
 * (issue 4's targets).
 *
 * @module
 */
import { createPyodideSandbox } from "../src/sandbox/pyodide_sandbox.ts";
import { createWasiSandbox } from "../src/sandbox/wasi_sandbox.ts";
import { wasmPythonPath } from "../tests/sandbox/_runtimes.ts";
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
      const wasi = await createWasiSandbox(wasm, limits);
      await wasi.run("pass", {});
      const wMs = await medianMs(() => wasi.run(SNIPPET, VARS), 5);
      rows.push({
        name: "eval of a small snippet, WASI python.wasm, fresh process",
        value: wMs / 1000,
        unit: "s",
        reference: { name: "python3 -c on the host", value: host / 1000 },
        target: "< 0.5 s",
        pass: wMs < 500,
      });
    } else {
      ctx.log("no python.wasm (tools/build_python_wasm.sh): WASI row left out");
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
