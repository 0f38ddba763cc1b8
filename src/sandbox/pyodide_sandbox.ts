/**
 * The default sandbox (docs/explanation/sandbox.md): Pyodide (CPython compiled to WebAssembly) from `npm:pyodide`,
 * one fresh child process per evaluation, allowed to read only the Pyodide package; its memory
 * snapshot arrives on stdin; killed with SIGKILL at the time limit; memory capped by V8 and, on
 * Linux, by the OS.
 *
 * @module
 */
import { dirname, fromFileUrl } from "./_paths.ts";
import type { SandboxPort } from "../protocol/ports.ts";
import type { SandboxRequest } from "../protocol/sandbox.ts";
import { runChild } from "./_child.ts";
import { childArgs, denoCommand } from "./_deno_child.ts";
import type { Value } from "../protocol/value.ts";
import { loadSnapshot } from "./_pyodide_snapshot.ts";
import { fileQuotaBytes, type SandboxLimits } from "./sandbox_limits.ts";

/** The Pyodide version, part of `eval` cache keys. */
export const PYODIDE_VERSION = "314.0.7";
const RUNNER = fromFileUrl(new URL("./pyodide_runner.ts", import.meta.url));

/** Options of the Pyodide sandbox. */
export interface PyodideSandboxOptions extends SandboxLimits {
  /**
   * Where the memory snapshot is kept between runs (built on first use, checked against its
   * sha256 on every load); default none: it is built once per sandbox and kept in memory.
   */
  snapshotDir?: string;
}

/**
 * Create the Pyodide sandbox. Nothing starts until the first `run`.
 *
 * @example
 * ```ts
 * const sandbox = createPyodideSandbox({ timeoutMs: 10_000, memoryMb: 512, maxOutputBytes: 1 << 20 });
 * await sandbox.run("print(len(context.split()))", { context: "a b c" }); // "3\n"
 * ```
 */
export function createPyodideSandbox(options: PyodideSandboxOptions): SandboxPort {
  const pyodideDir = dirname(fromFileUrl(import.meta.resolve("pyodide")));
  let prefix: Promise<Uint8Array> | undefined;
  const ensurePrefix = () =>
    prefix ??= loadSnapshot({
      runner: RUNNER,
      pyodideDir,
      version: PYODIDE_VERSION,
      dir: options.snapshotDir,
    }).then(framed).catch((error) => {
      prefix = undefined;
      throw error;
    });
  return {
    identity: `pyodide@${PYODIDE_VERSION}`,
    async run(code: string, vars: Record<string, Value>, runOptions = {}): Promise<string> {
      const stdinPrefix = await ensurePrefix();
      const request: SandboxRequest = {
        code,
        vars,
        maxOutputBytes: options.maxOutputBytes,
        maxFileBytes: fileQuotaBytes(options),
      };
      const args = childArgs(RUNNER, [pyodideDir], options.memoryMb, []);
      return await runChild(
        { ...denoCommand(args, options.memoryMb), stdinPrefix },
        request,
        options,
        { signal: runOptions.signal },
      );
    },
  };
}

/** The snapshot as the runner reads it from stdin: its length on a line, then its bytes. */
function framed(snapshot: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${snapshot.length}\n`);
  const all = new Uint8Array(head.length + snapshot.length);
  all.set(head);
  all.set(snapshot, head.length);
  return all;
}
