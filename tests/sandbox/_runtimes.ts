/**
 * The sandbox runtimes the tests run on: Pyodide always; the WASI python.wasm when one is
 * available (`RLM_WASM_PYTHON`, or where tools/build_python_wasm.sh puts it).
 *
 * @module
 */
import type { SandboxPort } from "../../src/ops/types.ts";
import { createPyodideSandbox } from "../../src/sandbox/pyodide_sandbox.ts";
import type { SandboxLimits } from "../../src/sandbox/sandbox_limits.ts";
import { createWasiSandbox } from "../../src/sandbox/wasi_sandbox.ts";

/** Path of a WASI python.wasm, if there is one. */
export function wasmPythonPath(): string | undefined {
  const home = Deno.env.get("HOME") ?? "";
  const candidates = [
    Deno.env.get("RLM_WASM_PYTHON"),
    `${Deno.env.get("XDG_CACHE_HOME") || `${home}/.cache`}/rlm/python-wasm/python.wasm`,
  ];
  for (const c of candidates) {
    if (
      c && (() => {
        try {
          return Deno.statSync(c).isFile;
        } catch {
          return false;
        }
      })()
    ) return c;
  }
  return undefined;
}

/** A runtime to test: its name, whether it can run here (and why not), and a factory. */
export interface TestRuntime {
  name: string;
  skip?: string;
  make(limits: SandboxLimits, snapshotDir: string): Promise<SandboxPort>;
}

/** Pyodide and WASI. */
export function testRuntimes(): TestRuntime[] {
  const wasm = wasmPythonPath();
  return [
    {
      name: "pyodide",
      make: (limits, snapshotDir) =>
        Promise.resolve(createPyodideSandbox({ ...limits, snapshotDir })),
    },
    {
      name: "wasi",
      skip: wasm
        ? undefined
        : "no python.wasm: run tools/build_python_wasm.sh or set RLM_WASM_PYTHON",
      make: (limits) => createWasiSandbox(wasm as string, limits),
    },
  ];
}
