/**
 * The sandbox runtimes the tests run on: Pyodide always; the WASI python.wasm when one is
 * available (`RLM_WASM_PYTHON`, or where tools/build_python_wasm.sh puts it), in Deno's engine
 * with the WASI shim and under `wasmtime`. No wasmtime CLI is installable on our machines, so
 * "wasmtime" is tools/wasmtime_cli.py, a stand-in for the CLI on the real Wasmtime engine (the
 * wasmtime Python wheel that tools/install_wasmtime_py.sh installs, or `RLM_WASMTIME_PY`).
 *
 * @module
 */
import type { SandboxPort } from "../../src/protocol/ports.ts";
import { createPyodideSandbox } from "../../src/sandbox/pyodide_sandbox.ts";
import type { SandboxLimits } from "../../src/sandbox/sandbox_limits.ts";
import { createWasiSandbox } from "../../src/sandbox/wasi_sandbox.ts";
import { fromFileUrl } from "../../src/sandbox/_paths.ts";

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

/** Where the wasmtime wheel is installed, if it is (and imports). */
function wasmtimePyDir(): { dir?: string; python?: string; why?: string } {
  const home = Deno.env.get("HOME") ?? "";
  const dir = Deno.env.get("RLM_WASMTIME_PY") ||
    `${Deno.env.get("XDG_CACHE_HOME") || `${home}/.cache`}/rlm/wasmtime-py`;
  try {
    const out = new Deno.Command("python3", {
      args: ["-c", "import sys, wasmtime; print(sys.executable)"],
      env: { PYTHONPATH: dir },
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    const python = new TextDecoder().decode(out.stdout).trim();
    if (out.success && python) return { dir, python };
    return { why: `no wasmtime wheel in ${dir}: run tools/install_wasmtime_py.sh` };
  } catch {
    return { why: "no python3 for the wasmtime stand-in" };
  }
}

let standIn: { dir?: string; why?: string } | undefined;
/**
 * A folder holding a `wasmtime` executable: the stand-in CLI (tools/wasmtime_cli.py) on the real
 * engine, or why there is none. Made once per test process, removed when it ends.
 */
export function wasmtimeStandIn(): { dir?: string; why?: string } {
  if (standIn) return standIn;
  const py = wasmtimePyDir();
  if (!py.dir || !py.python) return standIn = { why: py.why };
  const dir = Deno.makeTempDirSync({ prefix: "rlm-wasmtime-bin-" });
  const cli = fromFileUrl(new URL("../../tools/wasmtime_cli.py", import.meta.url));
  // The sandbox starts wasmtime with an empty environment: the script carries its own paths.
  Deno.writeTextFileSync(
    `${dir}/wasmtime`,
    `#!/bin/sh\nPYTHONPATH='${py.dir}' exec '${py.python}' -B '${cli}' "$@"\n`,
    { mode: 0o755 },
  );
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return standIn = { dir };
}

/** A runtime to test: its name, whether it can run here (and why not), and a factory. */
export interface TestRuntime {
  name: string;
  skip?: string;
  /** What the sandbox's description must say (which engine really runs it). */
  describes?: RegExp;
  make(limits: SandboxLimits, snapshotDir: string): Promise<SandboxPort & { description?: string }>;
}

/** Pyodide, WASI in Deno's engine with the shim, and WASI under wasmtime. */
export function testRuntimes(): TestRuntime[] {
  const wasm = wasmPythonPath();
  const noWasm = "no python.wasm: run tools/build_python_wasm.sh or set RLM_WASM_PYTHON";
  const wasmtime = wasmtimeStandIn();
  return [
    {
      name: "pyodide",
      make: (limits, snapshotDir) =>
        Promise.resolve(createPyodideSandbox({ ...limits, snapshotDir })),
    },
    {
      name: "wasi",
      skip: wasm ? undefined : noWasm,
      describes: /in Deno's WebAssembly engine with a WASI shim/,
      make: (limits) => createWasiSandbox(wasm as string, limits, { engine: "shim" }),
    },
    {
      name: "wasmtime",
      skip: !wasm ? noWasm : wasmtime.why,
      describes: /under wasmtime 49\.0\.0 \(rlm stand-in on wasmtime-py\)/,
      make: (limits, cacheDir) =>
        createWasiSandbox(wasm as string, limits, {
          engine: "wasmtime",
          path: wasmtime.dir,
          cacheDir,
        }),
    },
  ];
}
