/**
 * The sandbox a run asked for: Pyodide with the given limits, or none with `--no-eval`.
 *
 * @module
 */
import type { SandboxPort } from "../ops/types.ts";
import { createPyodideSandbox } from "./pyodide_sandbox.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

/** Options of `createSandbox`. */
export interface CreateSandboxOptions {
  /** `--no-eval`: no sandbox, and `eval` is not offered to the model. */
  enabled: boolean;
  limits: SandboxLimits;
  /** Where the Pyodide memory snapshot is kept (the cache dir); default a temp folder. */
  snapshotDir?: string;
}

/** The sandbox, or `undefined` when eval is disabled. */
export function createSandbox(options: CreateSandboxOptions): SandboxPort | undefined {
  if (!options.enabled) return undefined;
  return createPyodideSandbox({ ...options.limits, snapshotDir: options.snapshotDir });
}
