/**
 * The child process of the Pyodide sandbox. It is started by `pyodide_sandbox.ts` with Deno
 * permissions that allow reading only the Pyodide package and its snapshot: no other file, no
 * network, no environment, no subprocess, no writes (except the snapshot file in `--snapshot`
 * mode). It loads Python, prints a ready line, reads one request from stdin, runs it, prints one
 * JSON response line, and exits. The host kills it with SIGKILL at the time limit.
 *
 * Usage: deno run ... pyodide_runner.ts [--snapshot-in FILE | --snapshot-out FILE]
 *
 * @module
 */
import { loadPyodide, type PyodideInterface } from "pyodide";
import { SANDBOX_READY, type SandboxRequest, type SandboxResponse } from "../protocol/sandbox.ts";

/** Python run before the model's code: no way back into JavaScript from Python. */
const PRELUDE = `
import sys
class _RlmBlocked:
    BLOCKED = {"js", "pyodide_js", "pyodide", "_pyodide", "pyodide.ffi", "pyodide.code", "pyodide.http"}
    def find_spec(self, name, path=None, target=None):
        if name in self.BLOCKED or name.split(".")[0] in {"js", "pyodide_js", "pyodide", "_pyodide"}:
            raise ImportError(f"module {name!r} is not available in the rlm sandbox")
        return None
for _m in list(sys.modules):
    if _m.split(".")[0] in {"js", "pyodide_js", "pyodide", "_pyodide"}:
        del sys.modules[_m]
sys.meta_path.insert(0, _RlmBlocked())
del _RlmBlocked, _m
`;

const encoder = new TextEncoder();
const out = (line: string) => {
  const bytes = encoder.encode(line + "\n");
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
};

const [flag, path] = Deno.args;
if (flag === "--snapshot-out") {
  const py = await loadPyodide({ _makeSnapshot: true } as never);
  const snapshot = (py as unknown as { makeMemorySnapshot(): Uint8Array }).makeMemorySnapshot();
  Deno.writeFileSync(path, snapshot);
  Deno.exit(0);
}

const snapshot = flag === "--snapshot-in" ? Deno.readFileSync(path) : undefined;
const py: PyodideInterface = await loadPyodide(
  snapshot ? ({ _loadSnapshot: snapshot } as never) : {},
);
out(SANDBOX_READY);

const request: SandboxRequest = JSON.parse(await new Response(Deno.stdin.readable).text());
out(JSON.stringify(evaluate(py, request)));
Deno.exit(0);

function evaluate(py: PyodideInterface, request: SandboxRequest): SandboxResponse {
  if (request.maxFileBytes !== undefined) limitFiles(py, request.maxFileBytes);
  let printed = 0;
  const chunks: Uint8Array[] = [];
  let overflow = false;
  py.setStdout({
    write(buffer: Uint8Array) {
      printed += buffer.length;
      if (printed > request.maxOutputBytes) {
        overflow = true;
        throw new Error("output limit");
      }
      chunks.push(buffer.slice());
      return buffer.length;
    },
  });
  py.setStderr({ write: (b: Uint8Array) => b.length });
  const globals = py.globals;
  for (const [name, value] of Object.entries(request.vars)) {
    globals.set(name, typeof value === "string" ? value : py.toPy(value));
  }
  try {
    py.runPython(PRELUDE);
    py.runPython(request.code, { globals });
    py.runPython("import sys; sys.stdout.flush()");
  } catch (error) {
    if (overflow) return outputError(request);
    return failure(String((error as Error).message ?? error));
  }
  if (overflow) return outputError(request);
  let output: string;
  if (globals.has("result")) {
    const rendered = py.runPython(
      "__rlm_r = globals()['result']\n" +
        "__rlm_r if isinstance(__rlm_r, str) else __import__('json').dumps(__rlm_r, default=repr, ensure_ascii=False)",
      { globals },
    ) as string;
    output = rendered;
  } else {
    output = new TextDecoder().decode(concat(chunks));
  }
  if (encoder.encode(output).length > request.maxOutputBytes) return outputError(request);
  return { ok: true, output };
}

/** Emscripten's in-memory file system, as far as the quota needs it. */
interface Memfs {
  stream_ops: { write: WriteOp; allocate: AllocateOp };
  ops_table?: { file?: { stream?: { write: WriteOp; allocate: AllocateOp } } };
  resizeFileStorage(node: MemfsNode, size: number): void;
}
interface MemfsNode {
  usedBytes: number;
}
type WriteOp = (
  stream: { node: MemfsNode },
  b: unknown,
  o: number,
  length: number,
  position: number,
  canOwn?: boolean,
) => number;
type AllocateOp = (stream: { node: MemfsNode }, offset: number, length: number) => void;

/**
 * Files in Pyodide live in JavaScript memory, outside the capped Wasm memory: bound the bytes
 * the code's files may grow by (writes, truncate to a larger size, fallocate), failing past it
 * with ENOSPC, as a full disk would. Shrinking a file gives space back; deleting one does not.
 */
function limitFiles(py: PyodideInterface, maxBytes: number): void {
  const fs = py.FS as unknown as {
    filesystems: { MEMFS: Memfs };
    ErrnoError: new (errno: number) => Error;
  };
  const memfs = fs.filesystems.MEMFS;
  const ENOSPC = 51;
  let used = 0;
  const grow = (node: MemfsNode, newSize: number) => {
    const more = newSize - node.usedBytes;
    if (more > 0 && used + more > maxBytes) throw new fs.ErrnoError(ENOSPC);
    // Shrinking (as opening a file with "w" does) gives the space back.
    used = Math.max(0, used + more);
  };
  const write: WriteOp = (stream, b, o, length, position, canOwn) => {
    grow(stream.node, Math.max(stream.node.usedBytes, position + length));
    return originalWrite(stream, b, o, length, position, canOwn);
  };
  const allocate: AllocateOp = (stream, offset, length) => {
    grow(stream.node, Math.max(stream.node.usedBytes, offset + length));
    return originalAllocate(stream, offset, length);
  };
  const originalWrite = memfs.stream_ops.write;
  const originalAllocate = memfs.stream_ops.allocate;
  const originalResize = memfs.resizeFileStorage.bind(memfs);
  // Nodes made before now share ops_table's copy of the stream ops; new ones read stream_ops.
  for (const ops of [memfs.stream_ops, memfs.ops_table?.file?.stream]) {
    if (ops) Object.assign(ops, { write, allocate });
  }
  memfs.resizeFileStorage = (node, size) => {
    grow(node, size);
    originalResize(node, size);
  };
}

function failure(message: string): SandboxResponse {
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
