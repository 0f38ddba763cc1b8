/**
 * The pinned-interpreter sandbox (SPEC §6, `--wasm-python PATH`): a WASI `python.wasm` run in
 * Deno's own WebAssembly engine with an in-memory file system (the standard library and the
 * request only), one killable child process per evaluation, allowed to read only python.wasm and
 * its standard library.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { SandboxPort } from "../ops/types.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Value } from "../protocol/value.ts";
import { childArgs, runChild } from "./_child.ts";
import { dirname, fromFileUrl } from "./_paths.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

const RUNNER = fromFileUrl(new URL("./wasi_runner.ts", import.meta.url));

/**
 * Create the WASI sandbox for the interpreter at `wasmPath`, whose standard library is the
 * `lib/python3XY.zip` next to it (as `tools/build_python_wasm.sh` lays it out). A missing file
 * is a `UsageError` naming it.
 *
 * @example
 * ```ts
 * const sandbox = await createWasiSandbox("~/.cache/rlm/python-wasm/python.wasm", limits);
 * sandbox.identity; // "wasi:<sha256 of python.wasm>"
 * ```
 */
export async function createWasiSandbox(
  wasmPath: string,
  limits: SandboxLimits,
): Promise<SandboxPort> {
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
  const lib = `${dirname(wasmPath)}/lib`;
  const zip = await findWasiStdlib(wasmPath);
  if (!zip) {
    throw new UsageError(
      `No Python standard library next to --wasm-python "${wasmPath}": expected ${lib}/python3XY.zip (tools/build_python_wasm.sh makes one)`,
    );
  }
  const identity = `wasi:${createHash("sha256").update(bytes).digest("hex")}`;
  return {
    identity,
    async run(code: string, vars: Record<string, Value>, options = {}): Promise<string> {
      const args = childArgs(RUNNER, [wasmPath, zip], limits.memoryMb, [wasmPath, zip]);
      return await runChild(
        args,
        { code, vars, maxOutputBytes: limits.maxOutputBytes },
        limits,
        options.signal,
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
