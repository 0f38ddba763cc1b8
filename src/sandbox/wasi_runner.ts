/**
 * The child process of the WASI sandbox: runs a WASI `python.wasm` in Deno's own WebAssembly
 * engine (see `wasi_python.ts`). Started by `wasi_sandbox.ts` with Deno permissions to read only
 * python.wasm and its stdlib zip (if it has one), every other permission denied.
 *
 * Usage: deno run ... wasi_runner.ts PYTHON_WASM [STDLIB_ZIP]
 *
 * @module
 */
import { SANDBOX_READY, type SandboxRequest } from "../protocol/sandbox.ts";
import { runWasiPython } from "./wasi_python.ts";

const [wasmPath, zipPath] = Deno.args;
const encoder = new TextEncoder();
const out = (line: string) => {
  const bytes = encoder.encode(line + "\n");
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
};

const module = await WebAssembly.compile(Deno.readFileSync(wasmPath));
const stdlib = zipPath
  ? { name: zipPath.slice(zipPath.lastIndexOf("/") + 1), bytes: Deno.readFileSync(zipPath) }
  : undefined;
out(SANDBOX_READY);
const request: SandboxRequest = JSON.parse(await new Response(Deno.stdin.readable).text());
out(JSON.stringify(await runWasiPython(module, stdlib, request)));
Deno.exit(0);
