/**
 * One evaluation in a child process, for every runtime: start it, send the request once it says
 * it is ready, start the wall-time clock then, kill it with SIGKILL at the limit, bound what it
 * prints, and turn its answer into a value or a typed error.
 *
 * @module
 */
import { SANDBOX_READY, type SandboxRequest, SandboxResponseSchema } from "../protocol/sandbox.ts";
import {
  SandboxMemoryError,
  SandboxOutputError,
  SandboxRuntimeError,
  SandboxTimeoutError,
} from "./sandbox_errors.ts";
import { sandboxFailure } from "./sandbox_failure.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

const STARTUP_TIMEOUT_MS = 60_000;

/** The program a child runs: an executable, its arguments and its whole environment. */
export interface ChildCommand {
  program: string;
  args: string[];
  /** The child's entire environment (nothing is inherited). */
  env: Record<string, string>;
}

/** Options of `runChild`. */
export interface RunChildOptions {
  signal?: AbortSignal;
  /**
   * The error for a child that ended without a response line, from its exit code, its stderr and
   * whether it had said it was ready; `undefined` for the generic "sandbox failed" error.
   */
  explainExit?: (exit: { code: number; stderr: string; ready: boolean }) => Error | undefined;
}

/** `deno <args>` as a sandbox child, with no environment but where Deno finds its packages. */
export function denoCommand(args: string[]): ChildCommand {
  // Only where Deno finds its npm packages (a vendored DENO_DIR, e.g. in the Nix package).
  return { program: Deno.execPath(), args, env: { NO_COLOR: "1", ...denoDirEnv() } };
}

/** Run `command` as the child of one evaluation of `request`. */
export async function runChild(
  command: ChildCommand,
  request: SandboxRequest,
  limits: SandboxLimits,
  options: RunChildOptions = {},
): Promise<string> {
  const { signal } = options;
  const child = new Deno.Command(command.program, {
    args: command.args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: command.env,
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
  let ready = false;
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
          ready = true;
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
    const explained = options.explainExit?.({ code: status.code, stderr: errText, ready });
    if (explained) throw explained;
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
  if (response.ok) {
    // The child counts too, but the code could have written its own last line past the counter.
    if (new TextEncoder().encode(response.output).length > limits.maxOutputBytes) {
      throw new SandboxOutputError(`output exceeds the limit of ${limits.maxOutputBytes} bytes`);
    }
    return response.output;
  }
  throw sandboxFailure(response, limits);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

let importMapPath: string | undefined;
/**
 * An import map for sandbox children: the project's own npm imports (deno.json), so a child
 * loads the same pinned Pyodide, WASI shim and zod, without reading the project's config.
 */
export function childImportMap(): string {
  if (importMapPath) return importMapPath;
  const config = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  const path = Deno.makeTempFileSync({ prefix: "rlm-sandbox-", suffix: ".json" });
  Deno.writeTextFileSync(path, JSON.stringify({ imports: config.imports }));
  importMapPath = path;
  return path;
}

function denoDirEnv(): Record<string, string> {
  const dir = Deno.env.get("DENO_DIR");
  return dir ? { DENO_DIR: dir } : {};
}

/**
 * The `deno run` arguments of a sandbox child: no prompts, no project config, the shared import
 * map, memory capped (JS heap and Wasm pages), and read access to `readable` only.
 */
export function childArgs(
  runner: string,
  readable: string[],
  memoryMb: number,
  runnerArgs: string[],
): string[] {
  return [
    "run",
    "--no-prompt",
    "--no-config",
    `--import-map=${childImportMap()}`,
    `--v8-flags=--max-old-space-size=${
      Math.max(64, Math.floor(memoryMb / 2))
    },--wasm-max-mem-pages=${Math.floor(memoryMb * 16)}`,
    `--allow-read=${readable.join(",")}`,
    runner,
    ...runnerArgs,
  ];
}
