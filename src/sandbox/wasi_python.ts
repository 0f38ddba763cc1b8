/**
 * Run one request in a WASI `python.wasm`, in this process, with an in-memory file system that
 * holds only the standard library and the request. Used by the sandbox's child process and by
 * the Nix executor's builder (where the Nix build is the process boundary).
 *
 * @module
 */
import {
  ConsoleStdout,
  Directory,
  File,
  OpenFile,
  PreopenDirectory,
  WASI,
} from "@bjorn3/browser_wasi_shim";
import type { SandboxRequest, SandboxResponse } from "../protocol/sandbox.ts";
import { limitWasiFiles } from "./_wasi_file_quota.ts";
import { wasiWrapper } from "./_wasi_wrapper.ts";

const encoder = new TextEncoder();

/** Evaluate `request` with the compiled interpreter `module` and the stdlib zip `stdlib`. */
export async function runWasiPython(
  module: WebAssembly.Module,
  stdlib: Uint8Array,
  zipName: string,
  request: SandboxRequest,
): Promise<SandboxResponse> {
  let stdout = "";
  const decoder = new TextDecoder();
  const fds = [
    new OpenFile(new File([])),
    new ConsoleStdout((b: Uint8Array) => {
      stdout += decoder.decode(b, { stream: true });
    }),
    new ConsoleStdout(() => {}),
    new PreopenDirectory(
      "/",
      new Map<string, File | Directory>([
        ["lib", new Directory(new Map([[zipName, new File(stdlib, { readonly: true })]]))],
        ["request.json", new File(encoder.encode(JSON.stringify(request)), { readonly: true })],
      ]),
    ),
  ];
  const wasi = new WASI(
    ["python", "-S", "-c", wasiWrapper()],
    ["PYTHONHOME=/", `PYTHONPATH=/lib/${zipName}`],
    fds,
    {
      debug: false,
    },
  );
  if (request.maxFileBytes !== undefined) limitWasiFiles(wasi, request.maxFileBytes);
  const instance = await WebAssembly.instantiate(module, {
    wasi_snapshot_preview1: wasi.wasiImport,
  });
  let exitCode = 0;
  try {
    exitCode = wasi.start(instance as never);
  } catch (error) {
    // A trap (e.g. out of memory when growing past the cap) ends the interpreter.
    const message = String((error as Error)?.message ?? error);
    return { ok: false, kind: /memory|grow/i.test(message) ? "memory" : "exception", message };
  }
  // The wrapper prints exactly one JSON line last; none means the code left the interpreter early.
  const last = stdout.trimEnd().split("\n").pop() ?? "";
  try {
    const parsed = JSON.parse(last);
    if (typeof parsed?.ok === "boolean") return parsed as SandboxResponse;
  } catch { /* not a report */ }
  return {
    ok: false,
    kind: "exception",
    message: `the code exited the interpreter (exit code ${exitCode}) before it finished`,
  };
}
