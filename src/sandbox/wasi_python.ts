/**
 * Run one request in a WASI `python.wasm`, in this process, with an in-memory file system that
 * holds only the standard library (when one is given) and the request. Used by the sandbox's
 * child process and by the Nix executor's builder (where the Nix build is the process boundary).
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
import { wasiWrapper, WRAPPER_STARTED, wrapperReport } from "./_wasi_wrapper.ts";
import { noStdlibMessage } from "./_no_stdlib.ts";
import { trapMessage } from "./_trap_message.ts";

const encoder = new TextEncoder();
const STDERR_KEEP = 8192;

/** A standard library zip to mount at `/lib/<name>`. */
export interface WasiStdlib {
  name: string;
  bytes: Uint8Array;
}

/**
 * Evaluate `request` with the compiled interpreter `module` and the stdlib zip `stdlib`, or with
 * none (a python.wasm whose standard library is packed inside it).
 */
export async function runWasiPython(
  module: WebAssembly.Module,
  stdlib: WasiStdlib | undefined,
  request: SandboxRequest,
): Promise<SandboxResponse> {
  // Everything the interpreter writes is bounded: the wrapper's report fits in this.
  const maxStdout = request.maxOutputBytes * 6 + 65_536;
  let stdout = "";
  let stdoutBytes = 0;
  let stderr = "";
  const decoder = new TextDecoder();
  const errDecoder = new TextDecoder();
  const root = new Map<string, File | Directory>([
    ["request.json", new File(encoder.encode(JSON.stringify(request)), { readonly: true })],
  ]);
  if (stdlib) {
    root.set(
      "lib",
      new Directory(new Map([[stdlib.name, new File(stdlib.bytes, { readonly: true })]])),
    );
  }
  const fds = [
    new OpenFile(new File([])),
    new ConsoleStdout((b: Uint8Array) => {
      stdoutBytes += b.length;
      if (stdoutBytes <= maxStdout) stdout += decoder.decode(b, { stream: true });
    }),
    new ConsoleStdout((b: Uint8Array) => {
      stderr = (stderr + errDecoder.decode(b, { stream: true })).slice(-STDERR_KEEP);
    }),
    new PreopenDirectory("/", root),
  ];
  const env = stdlib ? ["PYTHONHOME=/", `PYTHONPATH=/lib/${stdlib.name}`] : [];
  const wasi = new WASI(["python", "-S", "-c", wasiWrapper()], env, fds, { debug: false });
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
    if (/memory|grow/i.test(message)) return { ok: false, kind: "memory", message };
    return { ok: false, kind: "exception", message: trapMessage(message) };
  }
  if (stdoutBytes > maxStdout) {
    return {
      ok: false,
      kind: "output",
      message: `output exceeds the limit of ${request.maxOutputBytes} bytes`,
    };
  }
  // The wrapper prints its report as the last line; none means the code left the interpreter
  // early.
  const report = wrapperReport(stdout.trimEnd().split("\n").pop() ?? "");
  if (report) return report;
  // Broken only if the wrapper never started: once it has, stderr is the code's to write.
  const broken = noStdlibMessage(stderr);
  if (broken && !stdout.startsWith(WRAPPER_STARTED)) {
    return { ok: false, kind: "broken", message: broken };
  }
  if (/MemoryError/.test(stderr)) {
    // Out of memory even for the report: the interpreter gave up.
    return { ok: false, kind: "memory", message: "MemoryError" };
  }
  return {
    ok: false,
    kind: "exception",
    message: `the code exited the interpreter (exit code ${exitCode}) before it finished`,
  };
}
