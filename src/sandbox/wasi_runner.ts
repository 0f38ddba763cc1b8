/**
 * The child process of the WASI sandbox: runs a WASI `python.wasm` in Deno's own WebAssembly
 * engine with an in-memory file system that holds only the standard library and the request.
 * Started by `wasi_sandbox.ts` with Deno permissions to read only python.wasm and its stdlib zip.
 *
 * Usage: deno run ... wasi_runner.ts PYTHON_WASM STDLIB_ZIP
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
import { SANDBOX_READY, type SandboxRequest } from "../protocol/sandbox.ts";

const [wasmPath, zipPath] = Deno.args;
const encoder = new TextEncoder();
const out = (line: string) => {
  const bytes = encoder.encode(line + "\n");
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
};

const module = await WebAssembly.compile(Deno.readFileSync(wasmPath));
const stdlib = Deno.readFileSync(zipPath);
const zipName = zipPath.slice(zipPath.lastIndexOf("/") + 1);
out(SANDBOX_READY);

const request: SandboxRequest = JSON.parse(await new Response(Deno.stdin.readable).text());
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
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
let exitCode = 0;
try {
  exitCode = wasi.start(instance as never);
} catch (error) {
  // A trap (e.g. out of memory when growing past the cap) ends the interpreter.
  const message = String((error as Error)?.message ?? error);
  out(
    JSON.stringify({
      ok: false,
      kind: /memory|grow/i.test(message) ? "memory" : "exception",
      message,
    }),
  );
  Deno.exit(0);
}
// The wrapper prints exactly one JSON line last; none means the code left the interpreter early.
const last = stdout.trimEnd().split("\n").pop() ?? "";
const reported = (() => {
  try {
    return typeof JSON.parse(last)?.ok === "boolean";
  } catch {
    return false;
  }
})();
out(
  reported ? last : JSON.stringify({
    ok: false,
    kind: "exception",
    message: `the code exited the interpreter (exit code ${exitCode}) before it finished`,
  }),
);
Deno.exit(0);

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
