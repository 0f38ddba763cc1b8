/**
 * The limits of one evaluation (docs/explanation/sandbox.md): wall time, memory, output size.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";

/** Limits of one evaluation. */
export interface SandboxLimits {
  /** Wall time of the model's code; default 10 000 ms (`RLM_EVAL_TIMEOUT`, seconds). */
  timeoutMs: number;
  /** Memory; default 512 MB (`RLM_EVAL_MEMORY_MB`). */
  memoryMb: number;
  /** Bytes of output (stdout or `result`); default 1 MiB (`RLM_EVAL_MAX_OUTPUT`). */
  maxOutputBytes: number;
}

/**
 * Bytes of files the code may write where files live in memory (Pyodide, the WASI shim): a
 * quarter of the memory limit, so files cannot grow the sandbox far past it.
 */
export function fileQuotaBytes(limits: Pick<SandboxLimits, "memoryMb">): number {
  return Math.floor((limits.memoryMb * 1024 * 1024) / 4);
}

/** The largest `--eval-memory`: a wasm32 interpreter cannot address more than 4 GiB. */
export const MAX_EVAL_MEMORY_MB = 4096;

/**
 * `limits` if they can be enforced, else a `RangeError` naming the bad one: every limit a
 * positive finite number, memory at most `MAX_EVAL_MEMORY_MB`. Any timeout is fine (timers past
 * `setTimeout`'s 2^31 - 1 ms are waited for in steps).
 */
export function checkSandboxLimits(limits: SandboxLimits): SandboxLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`Sandbox limit ${name} must be a positive finite number, not ${value}`);
    }
  }
  if (limits.memoryMb > MAX_EVAL_MEMORY_MB) {
    throw new RangeError(
      `Sandbox limit memoryMb must be at most ${MAX_EVAL_MEMORY_MB} (4 GiB, all a wasm32 interpreter can use), not ${limits.memoryMb}`,
    );
  }
  return limits;
}

/** The default limits. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  timeoutMs: 10_000,
  memoryMb: 512,
  maxOutputBytes: 1 << 20,
};

/**
 * Limits from flags (strings as typed, may be undefined), else the env vars, else defaults.
 * A bad value is a `UsageError` naming it.
 */
export function sandboxLimits(
  flags: { timeout?: string; memory?: string; maxOutput?: string } = {},
): SandboxLimits {
  const read = (
    flag: string,
    value: string | undefined,
    envVar: string,
    scale: number,
    fallback: number,
    max = Number.MAX_SAFE_INTEGER,
  ) => {
    const text = value ?? (Deno.env.get(envVar) || undefined);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || n <= 0 || n * scale > max) {
      throw new UsageError(
        `Invalid ${flag} "${text}" (or ${envVar}): give a positive number${
          max === Number.MAX_SAFE_INTEGER ? "" : ` up to ${max / scale}`
        }`,
      );
    }
    return Math.max(1, Math.round(n * scale));
  };
  return {
    timeoutMs: read(
      "--eval-timeout",
      flags.timeout,
      "RLM_EVAL_TIMEOUT",
      1000,
      DEFAULT_SANDBOX_LIMITS.timeoutMs,
    ),
    memoryMb: read(
      "--eval-memory",
      flags.memory,
      "RLM_EVAL_MEMORY_MB",
      1,
      DEFAULT_SANDBOX_LIMITS.memoryMb,
      MAX_EVAL_MEMORY_MB,
    ),
    maxOutputBytes: read(
      "--eval-max-output",
      flags.maxOutput,
      "RLM_EVAL_MAX_OUTPUT",
      1,
      DEFAULT_SANDBOX_LIMITS.maxOutputBytes,
    ),
  };
}
