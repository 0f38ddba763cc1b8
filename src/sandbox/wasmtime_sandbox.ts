/**
 * A WASI `python.wasm` run by the `wasmtime` CLI (docs/explanation/sandbox.md: "under wasmtime when it is on PATH"):
 * one `wasmtime run` process per evaluation, with fuel (a CPU budget) and a linear-memory cap,
 * no environment but the interpreter's two paths, a fresh temp folder holding only a copy of the
 * standard library as its only file system, the request on stdin, and a SIGKILL at the
 * wall-time limit.
 *
 * @module
 */
import { SANDBOX_READY } from "../protocol/sandbox.ts";
import type { Value } from "../protocol/value.ts";
import { type ChildCommand, runChild } from "./_child.ts";
import { compiledModule, wasmtimeVersion } from "./_wasmtime_compile.ts";
import { wasiWrapper, wrapperReport } from "./_wasi_wrapper.ts";
import { noStdlibMessage } from "./_no_stdlib.ts";
import { trapMessage } from "./_trap_message.ts";
import {
  SandboxExceptionError,
  SandboxMemoryError,
  SandboxRuntimeError,
  SandboxTimeoutError,
} from "../protocol/sandbox_errors.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

/**
 * Fuel per second of the time limit: about what the tightest Python loop burns per second on our
 * 2-core machines (measured: 1e10 units in 0.5 s), so fuel and the wall clock run out at about the
 * same time for pure computation, and fuel alone still stops it when the machine is loaded.
 */
export const FUEL_PER_SECOND = 2e10;

/** Options of the wasmtime sandbox. */
export interface WasmtimeSandboxOptions extends SandboxLimits {
  /** The `wasmtime` executable. */
  wasmtime: string;
  /** python.wasm and its sha256 (hex). */
  wasm: { path: string; sha256: string };
  /** The standard library zip (`lib/python3XY.zip`); none: packed inside python.wasm. */
  stdlib?: string;
  /** Where the compiled module is kept; default a temp folder. */
  cacheDir?: string;
  /** Fuel of one evaluation; default `FUEL_PER_SECOND` per second of `timeoutMs`. */
  fuel?: number;
}

/** A sandbox run by wasmtime, and the wasmtime version it found. */
export interface WasmtimeSandbox {
  /** `wasmtime --version`, e.g. "wasmtime 49.0.0 (...)". */
  readonly version: string;
  run(
    code: string,
    vars: Record<string, Value>,
    options?: { signal?: AbortSignal },
  ): Promise<string>;
}

/**
 * Create the wasmtime sandbox; python.wasm is compiled by wasmtime on the first `run`.
 *
 * @example
 * ```ts
 * import { DEFAULT_SANDBOX_LIMITS } from "./sandbox_limits.ts";
 * const path = `${Deno.env.get("HOME")}/.cache/rlm/python-wasm/python.wasm`;
 * const wasm = { path, sha256: "<sha256 of python.wasm, hex>" };
 * const stdlib = `${Deno.env.get("HOME")}/.cache/rlm/python-wasm/lib/python311.zip`;
 * const sandbox = await createWasmtimeSandbox({
 *   wasmtime: "/usr/bin/wasmtime",
 *   wasm,
 *   stdlib,
 *   ...DEFAULT_SANDBOX_LIMITS,
 * });
 * await sandbox.run("print(6 * 7)", {}); // "42\n"
 * ```
 */
export async function createWasmtimeSandbox(
  options: WasmtimeSandboxOptions,
): Promise<WasmtimeSandbox> {
  const version = await wasmtimeVersion(options.wasmtime);
  const fuel = options.fuel ?? Math.ceil((options.timeoutMs / 1000) * FUEL_PER_SECOND);
  let compiled: Promise<string> | undefined;
  const ensureCompiled = async () => {
    const dir = options.cacheDir ?? await processTempDir();
    return await compiledModule(options.wasmtime, version, options.wasm, dir);
  };
  const zipName = options.stdlib?.slice(options.stdlib.lastIndexOf("/") + 1);
  return {
    version,
    async run(code, vars, runOptions = {}) {
      const cwasm = await (compiled ??= ensureCompiled().catch((error) => {
        compiled = undefined;
        throw error;
      }));
      // A fresh folder per evaluation: the guest may write in it (the CLI's --dir is read-write),
      // so it holds a copy of the stdlib, never the shared one, and is removed afterwards.
      const root = await Deno.makeTempDir({ prefix: "rlm-wasmtime-root-" });
      try {
        if (options.stdlib && zipName) {
          await Deno.mkdir(`${root}/lib`);
          await Deno.copyFile(options.stdlib, `${root}/lib/${zipName}`);
        }
        return await runChild(
          runCommand(options.wasmtime, cwasm, root, zipName, fuel, options.memoryMb),
          { code, vars, maxOutputBytes: options.maxOutputBytes },
          options,
          {
            signal: runOptions.signal,
            explainExit: (exit) => explainExit(exit, fuel, options),
            parseResponse: wrapperReport,
          },
        );
      } finally {
        await Deno.remove(root, { recursive: true }).catch(() => {});
      }
    },
  };
}

/** The `wasmtime run` command line of one evaluation. */
export function runCommand(
  wasmtime: string,
  cwasm: string,
  root: string,
  zipName: string | undefined,
  fuel: number,
  memoryMb: number,
): ChildCommand {
  return {
    program: wasmtime,
    args: [
      "run",
      "-C",
      "cache=n",
      "--allow-precompiled", // the module rlm compiled itself, in its own cache folder
      "-W",
      `fuel=${fuel}`,
      "-W",
      `max-memory-size=${memoryMb * 1024 * 1024}`,
      "--dir",
      `${root}::/`,
      ...(zipName ? ["--env", "PYTHONHOME=/", "--env", `PYTHONPATH=/lib/${zipName}`] : []),
      "--",
      cwasm,
      "-S",
      "-c",
      wasiWrapper(SANDBOX_READY),
    ],
    env: {},
  };
}

/** The typed error for a wasmtime that ended without a report. */
function explainExit(
  exit: { code: number; stderr: string; ready: boolean },
  fuel: number,
  limits: SandboxLimits,
): Error | undefined {
  if (/all fuel consumed by WebAssembly/.test(exit.stderr)) {
    return new SandboxTimeoutError(
      `the code used up its fuel (${
        fuel.toExponential(1)
      } WebAssembly instructions, the CPU budget of the ${
        limits.timeoutMs / 1000
      } s limit) and was stopped`,
    );
  }
  if (/forcing trap when growing memory|exceeds memory limits|MemoryError/.test(exit.stderr)) {
    return new SandboxMemoryError(`the code ran out of its ${limits.memoryMb} MB memory limit`);
  }
  if (!exit.ready) {
    // The interpreter never started: the sandbox is broken.
    const broken = noStdlibMessage(exit.stderr);
    return broken ? new SandboxRuntimeError(broken) : undefined;
  }
  const trap = exit.stderr.match(/wasm trap: ([^\n]*)/)?.[1];
  if (trap) return new SandboxExceptionError(trapMessage(trap));
  if (exit.code !== 134 && !/^Error: /m.test(exit.stderr)) {
    return new SandboxExceptionError(
      `the code exited the interpreter (exit code ${exit.code}) before it finished`,
    );
  }
  return new SandboxRuntimeError(
    `wasmtime failed (exit ${exit.code}): ${exit.stderr.trim().split("\n").slice(-3).join(" | ")}`,
  );
}

/** A temp folder for this process's compiled module (no cache directory), removed at exit. */
async function processTempDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rlm-wasmtime-" });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* already gone */ }
  });
  return dir;
}
