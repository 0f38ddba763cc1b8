/**
 * The pinned-interpreter sandbox (docs/explanation/sandbox.md, `--wasm-python PATH`): a WASI `python.wasm`, run by
 * `wasmtime` when it is on PATH (see `wasmtime_sandbox.ts`), else in Deno's own WebAssembly
 * engine with an in-memory file system (the standard library and the request only), one killable
 * child process per evaluation, allowed to read only python.wasm and its standard library.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { SandboxPort } from "../protocol/ports.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Value } from "../protocol/value.ts";
import { runChild } from "./_child.ts";
import { childArgs, denoCommand } from "./_deno_child.ts";
import { dirname, fromFileUrl } from "./_paths.ts";
import { fileQuotaBytes, type SandboxLimits } from "./sandbox_limits.ts";
import { resolveWasiEngine, type WasiEngineChoice } from "./wasi_engine.ts";
import { createWasmtimeSandbox } from "./wasmtime_sandbox.ts";

const RUNNER = fromFileUrl(new URL("./wasi_runner.ts", import.meta.url));

/** Options of `createWasiSandbox`. */
export interface WasiSandboxOptions {
  /** `RLM_WASI_ENGINE`: `auto` (default: wasmtime if on PATH, else the shim), `shim`, `wasmtime`. */
  engine?: WasiEngineChoice;
  /** Where to look for `wasmtime`; default the `PATH` environment variable. */
  path?: string;
  /** Where wasmtime's compiled python.wasm is kept; default a temp folder. */
  cacheDir?: string;
  /** Fuel of one evaluation under wasmtime; default derived from the time limit. */
  fuel?: number;
}

/** A WASI sandbox, and which engine runs it. */
export interface WasiSandbox extends SandboxPort {
  /** `wasmtime` (the CLI on PATH) or `shim` (Deno's engine with a WASI shim). */
  readonly engine: "wasmtime" | "shim";
  /** For people (`-v`): the engine (with wasmtime's version) and python.wasm's hash. */
  readonly description: string;
}

/**
 * Create the WASI sandbox for the interpreter at `wasmPath`, whose standard library is the
 * `lib/python3XY.zip` next to it (as `tools/build_python_wasm.sh` lays it out), or packed inside
 * python.wasm itself when there is no such zip. A missing or invalid python.wasm is a
 * `UsageError` naming it; one that finds no standard library fails its first evaluation with a
 * `SandboxRuntimeError` that says so.
 *
 * @example
 * ```ts
 * import { DEFAULT_SANDBOX_LIMITS } from "./sandbox_limits.ts";
 * const wasm = `${Deno.env.get("HOME")}/.cache/rlm/python-wasm/python.wasm`;
 * const sandbox = await createWasiSandbox(wasm, DEFAULT_SANDBOX_LIMITS);
 * sandbox.identity; // "wasi:<sha256 of python.wasm>"
 * ```
 */
export async function createWasiSandbox(
  wasmPath: string,
  limits: SandboxLimits,
  options: WasiSandboxOptions = {},
): Promise<WasiSandbox> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(wasmPath);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : (error as Error).message;
    throw new UsageError(`Cannot read --wasm-python "${wasmPath}": ${reason}`);
  }
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
    throw new UsageError(`--wasm-python "${wasmPath}" is not a WebAssembly module`);
  }
  // None: a python.wasm with its standard library packed inside (or one that cannot start, which
  // its first evaluation reports in one line).
  const zip = await findWasiStdlib(wasmPath);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  // The same identity under both engines: see docs/explanation/sandbox.md, "Cache keys".
  const identity = `wasi:${sha256}`;
  const wasmtime = resolveWasiEngine(
    options.engine ?? "auto",
    options.path ?? Deno.env.get("PATH") ?? "",
  );
  if (wasmtime) {
    const sandbox = await createWasmtimeSandbox({
      ...limits,
      wasmtime,
      wasm: { path: wasmPath, sha256 },
      stdlib: zip,
      cacheDir: options.cacheDir,
      fuel: options.fuel,
    });
    return {
      identity,
      engine: "wasmtime",
      description: `WASI python.wasm (sha256 ${sha256.slice(0, 12)}) under ${sandbox.version}`,
      run: sandbox.run,
    };
  }
  return {
    identity,
    engine: "shim",
    description: `WASI python.wasm (sha256 ${
      sha256.slice(0, 12)
    }) in Deno's WebAssembly engine with a WASI shim`,
    async run(code: string, vars: Record<string, Value>, runOptions = {}): Promise<string> {
      const files = zip ? [wasmPath, zip] : [wasmPath];
      const args = childArgs(RUNNER, files, limits.memoryMb, files);
      return await runChild(
        denoCommand(args, limits.memoryMb),
        { code, vars, maxOutputBytes: limits.maxOutputBytes, maxFileBytes: fileQuotaBytes(limits) },
        limits,
        { signal: runOptions.signal },
      );
    },
  };
}

/** The `lib/python3XY.zip` next to a python.wasm, if there is one. */
export async function findWasiStdlib(wasmPath: string): Promise<string | undefined> {
  const lib = `${dirname(wasmPath)}/lib`;
  try {
    for await (const e of Deno.readDir(lib)) {
      if (/^python3\d+\.zip$/.test(e.name)) return `${lib}/${e.name}`;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
