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
    ["python", "-S", "-c", WRAPPER()],
    ["PYTHONHOME=/", `PYTHONPATH=/lib/${zipName}`],
    fds,
    {
      debug: false,
    },
  );
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

/** The Python that runs the model's code and reports, as one JSON line, how it ended. */
function WRAPPER(): string {
  return String.raw`
import io, json, sys, traceback
req = json.load(open('/request.json'))
limit = req['maxOutputBytes']
real = sys.stdout
class Overflow(BaseException): pass
class Capture(io.TextIOBase):
    def __init__(self): self.parts, self.n = [], 0
    def writable(self): return True
    def write(self, t):
        self.n += len(t.encode('utf-8'))
        if self.n > limit: raise Overflow()
        self.parts.append(t); return len(t)
cap = Capture()
def report(d):
    real.write(json.dumps(d, ensure_ascii=False) + '\n'); real.flush()
def tail(e):
    frames = traceback.format_exception(type(e), e, e.__traceback__)
    keep = [f for f in frames if '<exec>' in f] + [frames[-1]]
    return ''.join(keep).rstrip()
g = {'__name__': '__main__'}
g.update(req['vars'])
try:
    code = compile(req['code'], '<exec>', 'exec')
except SyntaxError as e:
    report({'ok': False, 'kind': 'syntax', 'message': ''.join(traceback.format_exception_only(type(e), e)).rstrip(), 'line': e.lineno})
    raise SystemExit(0)
sys.stdout = cap
try:
    exec(code, g)
    sys.stdout = real
    if 'result' in g:
        r = g['result']
        text = r if isinstance(r, str) else json.dumps(r, default=repr, ensure_ascii=False)
    else:
        text = ''.join(cap.parts)
    if len(text.encode('utf-8')) > limit: raise Overflow()
    report({'ok': True, 'output': text})
except Overflow:
    sys.stdout = real
    report({'ok': False, 'kind': 'output', 'message': 'output exceeds the limit of %d bytes' % limit})
except MemoryError as e:
    sys.stdout = real
    report({'ok': False, 'kind': 'memory', 'message': tail(e)})
except BaseException as e:
    sys.stdout = real
    report({'ok': False, 'kind': 'exception', 'message': tail(e)})
`;
}
