/**
 * The child process of the Pyodide sandbox. It is started by `pyodide_sandbox.ts` with Deno
 * permissions that allow reading only the Pyodide package: no other file, no network, no
 * import, no environment, no subprocess, no FFI, no system information, no writes. The host
 * sends it, on stdin, the interpreter's memory snapshot (a length line, then the bytes). It
 * loads Python with an empty object as its JavaScript globals, locks the interpreter and its own
 * JavaScript realm down (see `_pyodide_lockdown.ts`), prints a ready line, reads one request
 * from stdin, runs it, prints one JSON response line, and exits. The host kills it with SIGKILL
 * at the time limit.
 *
 * Usage: deno run ... pyodide_runner.ts [--snapshot-out]
 *   --snapshot-out: build the memory snapshot and write its bytes to stdout.
 *
 * @module
 */
import { loadPyodide, type PyodideInterface } from "pyodide";
import { SANDBOX_READY, type SandboxRequest, type SandboxResponse } from "../protocol/sandbox.ts";
import { trapMessage } from "./_trap_message.ts";
import { BLOCKED_MODULES, LOCKDOWN_PY } from "./_pyodide_lockdown.ts";
import { limitFiles } from "./_pyodide_file_quota.ts";
import { readStdin } from "./_stdin.ts";

// Kept before the realm is emptied: the only host APIs the runner itself needs.
const stdoutWrite = Deno.stdout.writeSync.bind(Deno.stdout);
const exit = Deno.exit.bind(Deno);
const stdin = readStdin(Deno.stdin.readable);
const encoder = new TextEncoder();
const out = (bytes: Uint8Array) => {
  for (let off = 0; off < bytes.length;) off += stdoutWrite(bytes.subarray(off));
};
const line = (text: string) => out(encoder.encode(text + "\n"));
/** The JavaScript globals Python sees as the `js` module: nothing, not even a prototype. */
const EMPTY_GLOBALS = Object.freeze(Object.create(null));

if (Deno.args[0] === "--snapshot-out") {
  const py = await loadPyodide({ _makeSnapshot: true, jsglobals: EMPTY_GLOBALS } as never);
  out((py as unknown as { makeMemorySnapshot(): Uint8Array }).makeMemorySnapshot());
  exit(0);
}

// Everything the interpreter writes to stdout outside sys.stdout (a /dev/tty device, os.write(1))
// is counted against the output limit like what it prints; its stderr is dropped. So no write
// reaches the host unbounded.
const sink = { limit: Infinity, printed: 0, overflow: false, chunks: [] as Uint8Array[] };
const take = (bytes: Uint8Array) => {
  sink.printed += bytes.length;
  if (sink.printed > sink.limit) sink.overflow = true;
  else sink.chunks.push(bytes.slice());
};
const snapshot = await stdin.frame();
const py: PyodideInterface = await loadPyodide({
  _loadSnapshot: snapshot,
  jsglobals: EMPTY_GLOBALS,
  stdout: (text: string) => take(encoder.encode(text + "\n")),
  stderr: () => {},
} as never);
const run = lockDown(py);
line(SANDBOX_READY);

const request: SandboxRequest = JSON.parse(new TextDecoder().decode(await stdin.rest()));
line(JSON.stringify(evaluate(py, request)));
exit(0);

/** Take the JavaScript bridge away from Python, then empty this realm of host APIs. */
function lockDown(py: PyodideInterface): (code: string, g: unknown) => string[] | undefined {
  for (const name of ["js", "pyodide_js"]) py.unregisterJsModule(name);
  const scope = py.toPy({});
  py.runPython(LOCKDOWN_PY, { globals: scope, filename: "<rlm-sandbox>" });
  const lock = scope.get("__rlm_lockdown");
  const runner = lock(py.toPy(BLOCKED_MODULES));
  lock.destroy();
  scope.destroy();
  hardenRealm();
  return (code, g) => {
    const r = runner(code, g);
    if (r === undefined) return undefined;
    const pair = r.toJs() as string[];
    r.destroy();
    return pair;
  };
}

/**
 * No function constructor reachable through a prototype (the way from any JavaScript object to
 * code that sees the real globals), and no host API left on the globals.
 */
function hardenRealm(): void {
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const f of kinds) {
    Object.defineProperty(Object.getPrototypeOf(f), "constructor", {
      value: undefined,
      writable: false,
      configurable: false,
    });
  }
  const g = globalThis as Record<string, unknown>;
  for (
    const name of [
      "Deno",
      "Worker",
      "fetch",
      "WebSocket",
      "WebSocketStream",
      "EventSource",
      "BroadcastChannel",
      "caches",
      "localStorage",
      "sessionStorage",
      "navigator",
      "require",
      "process",
    ]
  ) {
    try {
      Object.defineProperty(g, name, { value: undefined, writable: false, configurable: false });
    } catch {
      delete g[name];
    }
  }
}

function evaluate(py: PyodideInterface, request: SandboxRequest): SandboxResponse {
  if (request.maxFileBytes !== undefined) limitFiles(py, request.maxFileBytes);
  sink.limit = request.maxOutputBytes;
  // Output from before the request (none is expected) does not count against the code.
  sink.printed = 0;
  sink.chunks = [];
  py.setStdout({
    write(buffer: Uint8Array) {
      take(buffer);
      if (sink.overflow) throw new Error("output limit");
      return buffer.length;
    },
  });
  py.setStderr({ write: (b: Uint8Array) => b.length });
  const reserved = Object.keys(request.vars).find((name) => /^__.*__$/.test(name));
  if (reserved !== undefined) {
    return {
      ok: false,
      kind: "exception",
      message:
        `NameError: the variable "${reserved}" cannot be a Python global (names like __x__ belong to Python); rename it or leave it out of inputs`,
    };
  }
  const g = py.toPy({ __name__: "__main__" });
  for (const [name, value] of Object.entries(request.vars)) {
    g.set(name, typeof value === "string" ? value : py.toPy(value));
  }
  let rendered: string[] | undefined;
  try {
    rendered = run(request.code, g);
    py.runPython("import sys; sys.stdout.flush()", { globals: g });
  } catch (error) {
    if (sink.overflow) return outputError(request);
    return stopped(error) ?? failure(String((error as Error).message ?? error));
  }
  if (sink.overflow) return outputError(request);
  if (rendered?.[0] === "error") {
    return { ok: false, kind: "exception", message: clip(rendered[1]) };
  }
  const output = rendered ? rendered[1] : new TextDecoder().decode(concat(sink.chunks));
  if (encoder.encode(output).length > request.maxOutputBytes) return outputError(request);
  return { ok: true, output };
}

/** An error message quotes the code: a 1 MB line of it must not make the response huge. */
function clip(text: string, line = 1000, total = 8000): string {
  const more = (n: number) => `... (${n} more characters)`;
  const lines = text.split("\n").map((l) =>
    l.length <= line ? l : l.slice(0, line) + more(l.length - line)
  );
  const joined = lines.join("\n");
  return joined.length <= total ? joined : joined.slice(0, total) + more(joined.length - total);
}

/**
 * The failure for a run that did not end in Python: a trap of the interpreter (`os.abort`, a
 * crash in C code) or an exit from it (`os._exit`), said as the WASI runtimes say it, instead of
 * the JavaScript error it surfaces as (`unreachable`, `Cannot set properties of undefined`).
 */
function stopped(error: unknown): SandboxResponse | undefined {
  if ((error as { type?: unknown })?.type !== undefined) return undefined; // a PythonError
  if (error instanceof WebAssembly.RuntimeError) {
    if (/memory|OOM/i.test(error.message)) return undefined;
    return { ok: false, kind: "exception", message: trapMessage(error.message) };
  }
  if (error instanceof TypeError && /exitCode/.test(error.message)) {
    return {
      ok: false,
      kind: "exception",
      message: "the code exited the interpreter before it finished",
    };
  }
  return undefined;
}

function failure(raw: string): SandboxResponse {
  const message = clip(raw);
  const lines = message.trimEnd().split("\n");
  const last = lines[lines.length - 1] ?? message;
  // Keep only the frames of the model's code (<exec>), not Pyodide's own.
  const start = lines.findIndex((l) => l.includes('File "<exec>"'));
  const tail = (start === -1 ? lines.slice(-6) : lines.slice(start)).join("\n");
  const lineNo = [...message.matchAll(/File "<exec>", line (\d+)/g)].pop()?.[1];
  if (/^(SyntaxError|IndentationError|TabError)\b/.test(last)) {
    return { ok: false, kind: "syntax", message: tail, line: lineNo ? Number(lineNo) : undefined };
  }
  if (/^MemoryError\b/.test(last)) return { ok: false, kind: "memory", message: tail };
  return { ok: false, kind: "exception", message: tail, line: lineNo ? Number(lineNo) : undefined };
}

function outputError(request: SandboxRequest): SandboxResponse {
  return {
    ok: false,
    kind: "output",
    message: `output exceeds the limit of ${request.maxOutputBytes} bytes`,
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}
