/**
 * One evaluation in a child process, for every runtime: start it, send the request once it says
 * it is ready, start the wall-time clock then, kill it with SIGKILL at the limit, bound every
 * byte it prints (stdout and stderr), and turn its answer into a value or a typed error.
 *
 * @module
 */
import {
  SANDBOX_READY,
  type SandboxRequest,
  type SandboxResponse,
  SandboxResponseSchema,
} from "../protocol/sandbox.ts";
import { readBounded } from "./_bounded_read.ts";
import { longTimeout } from "./_long_timeout.ts";
import {
  SandboxExceptionError,
  SandboxMemoryError,
  SandboxOutputError,
  SandboxRuntimeError,
  SandboxTimeoutError,
} from "../protocol/sandbox_errors.ts";
import { sandboxFailure } from "./sandbox_failure.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

const STARTUP_TIMEOUT_MS = 60_000;
/** What is kept of a child's stderr (its tail explains a crash); the rest is read and dropped. */
const STDERR_KEEP_BYTES = 16_384;

/** The program a child runs: an executable, its arguments and its whole environment. */
export interface ChildCommand {
  program: string;
  args: string[];
  /** The child's entire environment (nothing is inherited). */
  env: Record<string, string>;
  /** Bytes written to the child's stdin as soon as it starts, before the request. */
  stdinPrefix?: Uint8Array;
}

/** Options of `runChild`. */
export interface RunChildOptions {
  signal?: AbortSignal;
  /**
   * The error for a child that ended without a response line, from its exit code, its stderr and
   * whether it had said it was ready; `undefined` for the default (see `runChild`).
   */
  explainExit?: (exit: { code: number; stderr: string; ready: boolean }) => Error | undefined;
  /**
   * The response in the child's last line, or `undefined` if that line is none. Default: a line
   * of `SandboxResponseSchema`. A child whose stdout the code writes to as well (wasmtime) reads
   * it as the wrapper's report (`wrapperReport`), which the code cannot forge into a broken
   * sandbox.
   */
  parseResponse?: (line: string) => SandboxResponse | undefined;
}

/**
 * Run `command` as the child of one evaluation of `request`. A child that dies before it is
 * ready is a broken sandbox (`SandboxRuntimeError`); one that dies while the code runs was
 * killed by the code (a `SandboxMemoryError` or `SandboxExceptionError` for the model).
 */
export async function runChild(
  command: ChildCommand,
  request: SandboxRequest,
  limits: SandboxLimits,
  options: RunChildOptions = {},
): Promise<string> {
  const { signal } = options;
  // A run cancelled before the child exists (e.g. while a snapshot was being built) must not
  // start one: a listener added to a signal that already fired is never called.
  if (signal?.aborted) throw signal.reason ?? new Error("Cancelled");
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
  let timer = longTimeout(() => kill("startup"), STARTUP_TIMEOUT_MS);
  const stderr = readBounded(child.stderr, STDERR_KEEP_BYTES);
  const writer = child.stdin.getWriter();
  const prefix = command.stdinPrefix
    ? writer.write(command.stdinPrefix).catch(() => {})
    : Promise.resolve();
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
        if (line === SANDBOX_READY && !ready) {
          // Python is up: the wall-time limit covers the model's code from here on.
          ready = true;
          timer.clear();
          timer = longTimeout(() => kill("timeout"), limits.timeoutMs);
          await prefix;
          await writer.write(new TextEncoder().encode(JSON.stringify(request))).catch(() => {});
          await writer.close().catch(() => {});
        } else lines.push(line);
      }
    }
    if (pending) lines.push(pending);
  } finally {
    timer.clear();
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
    throw new SandboxOutputError(`output exceeds the limit of ${limits.maxOutputBytes} bytes`);
  }
  if (killedFor === "startup") {
    throw new SandboxRuntimeError("The Python sandbox did not start within 60 s");
  }
  const last = lines[lines.length - 1];
  const parse = options.parseResponse ?? schemaResponse;
  const response = last ? parse(last) : undefined;
  if (response === undefined) {
    throw options.explainExit?.({ code: status.code, stderr: errText, ready }) ??
      deathError(status, errText, ready, limits);
  }
  if (response.ok) {
    // The child counts too, but the code could have written its own last line past the counter.
    if (new TextEncoder().encode(response.output).length > limits.maxOutputBytes) {
      throw new SandboxOutputError(`output exceeds the limit of ${limits.maxOutputBytes} bytes`);
    }
    return response.output;
  }
  throw sandboxFailure(response, limits);
}

/** The error for a child that ended without a response. */
function deathError(
  status: Deno.CommandStatus,
  stderr: string,
  ready: boolean,
  limits: SandboxLimits,
): Error {
  const how = `exit ${status.code}${status.signal ? `, ${status.signal}` : ""}`;
  if (ready && /out of memory|Allocation failed|heap limit|memory allocation/i.test(stderr)) {
    return new SandboxMemoryError(`the code ran out of its ${limits.memoryMb} MB memory limit`);
  }
  if (ready) {
    // The sandbox had started: what ended it is the code (a crash it caused, an exit it called).
    return new SandboxExceptionError(
      `the code ended the sandbox process (${how}) before it finished`,
    );
  }
  const tail = stderr.trim().split("\n").slice(-3).join(" | ");
  return new SandboxRuntimeError(
    `The Python sandbox failed to start (${how}): ${tail || "no output"}`,
  );
}

/** A line of `SandboxResponseSchema`, or `undefined`. */
function schemaResponse(line: string): SandboxResponse | undefined {
  const parsed = SandboxResponseSchema.safeParse(safeJson(line));
  return parsed.success ? parsed.data : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
