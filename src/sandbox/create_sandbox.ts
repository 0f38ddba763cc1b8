/**
 * The sandbox a run asked for: Pyodide by default, a WASI `python.wasm` with `--wasm-python`
 * (under wasmtime when it is on PATH, else Deno's engine with a WASI shim), or none with
 * `--no-eval`.
 *
 * @module
 */
import type { SandboxPort } from "../protocol/ports.ts";
import { createPyodideSandbox, PYODIDE_VERSION } from "./pyodide_sandbox.ts";
import { checkSandboxLimits, type SandboxLimits } from "./sandbox_limits.ts";
import type { WasiEngineChoice } from "./wasi_engine.ts";
import { createWasiSandbox } from "./wasi_sandbox.ts";

/** A sandbox, and what runs it (for `-v`). */
export interface Sandbox extends SandboxPort {
  /** For people: the runtime, e.g. "WASI python.wasm (sha256 ...) under wasmtime 49.0.0". */
  readonly description: string;
}

/** Options of `createSandbox`. */
export interface CreateSandboxOptions {
  /** `--no-eval`: no sandbox, and `eval` is not offered to the model. */
  enabled: boolean;
  /** The limits of each evaluation (see `sandboxLimits`); checked by `checkSandboxLimits`. */
  limits: SandboxLimits;
  /** `--wasm-python` / `RLM_WASM_PYTHON`: a WASI python.wasm instead of the embedded Pyodide. */
  wasmPython?: string;
  /** `RLM_WASI_ENGINE`: which engine runs `wasmPython`; default `auto`. */
  wasiEngine?: WasiEngineChoice;
  /**
   * Where the Pyodide memory snapshot and wasmtime's compiled python.wasm are kept. Default: none;
   * the snapshot is then kept in memory only, and wasmtime's module in a temp folder.
   */
  snapshotDir?: string;
}

/**
 * The sandbox, or `undefined` when eval is disabled. A bad `wasmPython` is a `UsageError`; limits
 * that cannot be enforced are a `RangeError` (from `checkSandboxLimits`).
 */
export async function createSandbox(
  options: CreateSandboxOptions,
): Promise<Sandbox | undefined> {
  if (!options.enabled) return undefined;
  checkSandboxLimits(options.limits);
  if (options.wasmPython) {
    return await createWasiSandbox(options.wasmPython, options.limits, {
      engine: options.wasiEngine,
      cacheDir: options.snapshotDir,
    });
  }
  const pyodide = createPyodideSandbox({ ...options.limits, snapshotDir: options.snapshotDir });
  return { ...pyodide, description: `Pyodide ${PYODIDE_VERSION} (embedded)` };
}
