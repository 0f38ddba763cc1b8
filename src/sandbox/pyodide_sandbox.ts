/**
 * The default sandbox (SPEC §6): Pyodide (CPython compiled to WebAssembly) from `npm:pyodide`,
 * one fresh child process per evaluation, allowed to read only the Pyodide package and its
 * memory snapshot; killed with SIGKILL at the time limit; Wasm memory capped by V8.
 *
 * @module
 */
import { dirname, fromFileUrl } from "./_paths.ts";
import type { SandboxPort } from "../ops/types.ts";
import { SANDBOX_READY, type SandboxRequest, SandboxResponseSchema } from "../protocol/sandbox.ts";
import type { Value } from "../protocol/value.ts";
import {
  SandboxExceptionError,
  SandboxMemoryError,
  SandboxOutputError,
  SandboxRuntimeError,
  SandboxSyntaxError,
  SandboxTimeoutError,
} from "./sandbox_errors.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

/** The Pyodide version, part of `eval` cache keys. */
export const PYODIDE_VERSION = "314.0.7";
const RUNNER = fromFileUrl(new URL("./pyodide_runner.ts", import.meta.url));
const STARTUP_TIMEOUT_MS = 60_000;

/** Options of the Pyodide sandbox. */
export interface PyodideSandboxOptions extends SandboxLimits {
  /** Where the memory snapshot is kept (built on first use); default a temp folder. */
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
  let snapshot: Promise<string> | undefined;
  const ensureSnapshot = () =>
    snapshot ??= buildSnapshot(pyodideDir, options.snapshotDir).catch((error) => {
      snapshot = undefined;
      throw error;
    });
  return {
    identity: `pyodide@${PYODIDE_VERSION}`,
    async run(code: string, vars: Record<string, Value>, runOptions = {}): Promise<string> {
      const snapshotPath = await ensureSnapshot();
      const request: SandboxRequest = { code, vars, maxOutputBytes: options.maxOutputBytes };
      const args = [
        "run",
        "--no-prompt",
        "--no-config",
        `--import-map=${importMap()}`,
        `--v8-flags=--max-old-space-size=${
          Math.max(64, Math.floor(options.memoryMb / 2))
        },--wasm-max-mem-pages=${Math.floor(options.memoryMb * 16)}`,
        `--allow-read=${pyodideDir},${snapshotPath}`,
        RUNNER,
        "--snapshot-in",
        snapshotPath,
      ];
      return await runChild(args, request, options, runOptions.signal);
    },
  };
}

/** Build (once per folder) the memory snapshot that makes a cold start ~0.3 s instead of ~2.5 s. */
async function buildSnapshot(pyodideDir: string, dir?: string): Promise<string> {
  const folder = dir ?? `${await Deno.makeTempDir({ prefix: "rlm-sandbox-" })}`;
  await Deno.mkdir(folder, { recursive: true });
  const path = `${folder}/pyodide-${PYODIDE_VERSION}.snapshot`;
  if (await Deno.stat(path).then((s) => s.size > 0, () => false)) return path;
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--no-config",
      `--import-map=${importMap()}`,
      `--allow-read=${pyodideDir}`,
      `--allow-write=${tmp}`,
      RUNNER,
      "--snapshot-out",
      tmp,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    await Deno.remove(tmp).catch(() => {});
    const tail = new TextDecoder().decode(stderr).trim().split("\n").slice(-3).join(" | ");
    throw new SandboxRuntimeError(
      `Cannot start the Python sandbox (Pyodide ${PYODIDE_VERSION}): ${tail}`,
    );
  }
  await Deno.rename(tmp, path);
  return path;
}

async function runChild(
  args: string[],
  request: SandboxRequest,
  limits: SandboxLimits,
  signal?: AbortSignal,
): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: { NO_COLOR: "1" },
  }).spawn();
  let killedFor: "timeout" | "startup" | "abort" | "output" | undefined;
  const kill = (why: typeof killedFor) => {
    if (killedFor) return;
    killedFor = why;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  const onAbort = () => kill("abort");
  signal?.addEventListener("abort", onAbort, { once: true });
  let timer = setTimeout(() => kill("startup"), STARTUP_TIMEOUT_MS);
  const stderr = new Response(child.stderr).text();
  const lines: string[] = [];
  const maxBytes = limits.maxOutputBytes * 6 + 65_536; // JSON escaping can grow text up to 6x
  try {
    let received = 0;
    let pending = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      received += chunk.length;
      if (received > maxBytes) {
        kill("output");
        break;
      }
      pending += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf("\n")) !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line === SANDBOX_READY) {
          // Python is up: the wall-time limit covers the model's code from here on.
          clearTimeout(timer);
          timer = setTimeout(() => kill("timeout"), limits.timeoutMs);
          const writer = child.stdin.getWriter();
          await writer.write(new TextEncoder().encode(JSON.stringify(request)));
          await writer.close().catch(() => {});
        } else lines.push(line);
      }
    }
    if (pending) lines.push(pending);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
  const status = await child.status;
  const errText = await stderr;
  if (killedFor === "abort") throw signal?.reason ?? new Error("Cancelled");
  if (killedFor === "timeout") {
    throw new SandboxTimeoutError(
      `the code ran longer than the ${limits.timeoutMs / 1000} s limit and was stopped`,
    );
  }
  if (killedFor === "output") {
    throw new SandboxOutputError(
      `output exceeds the limit of ${limits.maxOutputBytes} bytes`,
    );
  }
  if (killedFor === "startup") {
    throw new SandboxRuntimeError("The Python sandbox did not start within 60 s");
  }
  const last = lines[lines.length - 1];
  const parsed = last ? SandboxResponseSchema.safeParse(safeJson(last)) : undefined;
  if (!parsed?.success) {
    if (/out of memory|Allocation failed|heap limit/i.test(errText)) {
      throw new SandboxMemoryError(
        `the code ran out of its ${limits.memoryMb} MB memory limit`,
      );
    }
    const tail = errText.trim().split("\n").slice(-3).join(" | ");
    throw new SandboxRuntimeError(
      `The Python sandbox failed (exit ${status.code}${
        status.signal ? `, ${status.signal}` : ""
      }): ${tail || "no output"}`,
    );
  }
  const response = parsed.data;
  if (response.ok) return response.output;
  const message = response.message;
  switch (response.kind) {
    case "syntax":
      throw new SandboxSyntaxError(message, response.line);
    case "memory":
      throw new SandboxMemoryError(
        `the code ran out of its ${limits.memoryMb} MB memory limit (${
          response.message.split("\n").pop()
        })`,
      );
    case "output":
      throw new SandboxOutputError(message);
    default:
      throw new SandboxExceptionError(message);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

let importMapPath: string | undefined;
/** An import map for the child: only `pyodide`, pinned like the project's. */
function importMap(): string {
  if (importMapPath) return importMapPath;
  const path = Deno.makeTempFileSync({ prefix: "rlm-sandbox-", suffix: ".json" });
  Deno.writeTextFileSync(
    path,
    JSON.stringify({
      imports: { pyodide: `npm:pyodide@${PYODIDE_VERSION}`, zod: "npm:zod@^4.6.7" },
    }),
  );
  importMapPath = path;
  return path;
}
