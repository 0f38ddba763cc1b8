/**
 * The `wasmtime` CLI's version, and python.wasm compiled ahead of time by it (`wasmtime compile`),
 * kept beside the other sandbox files so that each evaluation starts from native code instead of
 * compiling 20 MB of WebAssembly again.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { SandboxRuntimeError } from "../protocol/sandbox_errors.ts";

/** `wasmtime --version`'s first line; a wasmtime that does not run is a `SandboxRuntimeError`. */
export async function wasmtimeVersion(wasmtime: string): Promise<string> {
  const out = await new Deno.Command(wasmtime, {
    args: ["--version"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
  }).output().catch((error: Error) => ({ success: false, stdout: new Uint8Array(), error }));
  const text = new TextDecoder().decode(out.stdout).trim().split("\n")[0] ?? "";
  if (!out.success || !text) {
    throw new SandboxRuntimeError(
      `The wasmtime on PATH (${wasmtime}) does not run (\`wasmtime --version\` failed); set RLM_WASI_ENGINE=shim to use Deno's own engine`,
    );
  }
  return text;
}

/**
 * The path of `wasm` compiled by `wasmtime` (version `version`) with fuel metering, in `dir`;
 * compiled on the first call (a few seconds), then reused. Fuel metering is part of the compiled
 * code, so it is compiled with `-W fuel=1` (the amount only matters at run time).
 */
export async function compiledModule(
  wasmtime: string,
  version: string,
  wasm: { path: string; sha256: string },
  dir: string,
): Promise<string> {
  const key = createHash("sha256").update(`${wasm.sha256}\n${version}\nfuel`).digest("hex");
  const path = `${dir}/python-${key.slice(0, 24)}.cwasm`;
  if (await Deno.stat(path).then((s) => s.size > 0, () => false)) return path;
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  const out = await new Deno.Command(wasmtime, {
    args: ["compile", "-C", "cache=n", "-W", "fuel=1", "-o", tmp, wasm.path],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    clearEnv: true,
  }).output();
  if (!out.success) {
    await Deno.remove(tmp).catch(() => {});
    const tail = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" | ");
    throw new SandboxRuntimeError(
      `Cannot compile "${wasm.path}" with ${version} (${wasmtime}): ${tail || `exit ${out.code}`}`,
    );
  }
  await Deno.rename(tmp, path);
  return path;
}
