/**
 * The sandbox a run asked for: Pyodide by default, a WASI `python.wasm` with `--wasm-python`,
 * or none with `--no-eval`.
 *
 * @module
 */
import type { SandboxPort } from "../ops/types.ts";
import { createPyodideSandbox } from "./pyodide_sandbox.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";
import { createWasiSandbox } from "./wasi_sandbox.ts";

/** Options of `createSandbox`. */
export interface CreateSandboxOptions {
  /** `--no-eval`: no sandbox, and `eval` is not offered to the model. */
  enabled: boolean;
  limits: SandboxLimits;
  /** `--wasm-python` / `RLM_WASM_PYTHON`: a WASI python.wasm instead of the embedded Pyodide. */
  wasmPython?: string;
  /** Where the Pyodide memory snapshot is kept (the cache dir); default a temp folder. */
  snapshotDir?: string;
}

/** The sandbox, or `undefined` when eval is disabled. A bad `wasmPython` is a `UsageError`. */
export async function createSandbox(
  options: CreateSandboxOptions,
): Promise<SandboxPort | undefined> {
  if (!options.enabled) return undefined;
  if (options.wasmPython) return await createWasiSandbox(options.wasmPython, options.limits);
  return createPyodideSandbox({ ...options.limits, snapshotDir: options.snapshotDir });
}
