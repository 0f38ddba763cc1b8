/**
 * The Python that runs the model's code inside a WASI python.wasm and reports, as one JSON line
 * on stdout, how it ended. Shared by the in-process WASI shim and the wasmtime runtime.
 *
 * @module
 */
// No imports but a type: the Nix executor's sandbox builder bundles this file and must stay small.
import type { SandboxResponse } from "../protocol/sandbox.ts";

/**
 * The first line the wrapper prints without a `readyLine`: the interpreter started, so what comes
 * after is the code's doing, never a missing standard library.
 */
export const WRAPPER_STARTED = "__rlm_wrapper_started__";

/**
 * The wrapper program (for `python -S -c`). Without `readyLine` it prints `WRAPPER_STARTED` and
 * reads the request from `/request.json` (the shim's in-memory file system); with it, it prints
 * that line and then reads the request from stdin (a child process whose host starts the
 * wall-time clock at that line).
 */
export function wasiWrapper(readyLine?: string): string {
  const read = readyLine === undefined
    ? `real.write(${
      JSON.stringify(WRAPPER_STARTED)
    } + '\\n'); real.flush()\nreq = json.load(open('/request.json'))`
    : `real.write(${
      JSON.stringify(readyLine)
    } + '\\n'); real.flush()\nreq = json.loads(sys.stdin.read())`;
  return String.raw`
import io, json, sys, traceback
real = sys.stdout
` + read + String.raw`
limit = req['maxOutputBytes']
class Overflow(BaseException): pass
class Capture(io.TextIOBase):
    def __init__(self): self.parts, self.n = [], 0
    def writable(self): return True
    def write(self, t):
        self.n += len(t.encode('utf-8'))
        if self.n > limit: raise Overflow()
        self.parts.append(t); return len(t)
cap = Capture()
def clip(t, line=1000, total=8000):
    # An error message quotes the code: a 1 MB line of it must not make the report huge.
    t = '\n'.join(l if len(l) <= line else l[:line] + '... (%d more characters)' % (len(l) - line) for l in t.split('\n'))
    return t if len(t) <= total else t[:total] + '... (%d more characters)' % (len(t) - total)
def report(d):
    if 'message' in d: d['message'] = clip(d['message'])
    # On a line of its own: the code may have written to fd 1 without a final newline.
    real.write('\n' + json.dumps(d, ensure_ascii=False) + '\n'); real.flush()
def tail(e):
    frames = traceback.format_exception(type(e), e, e.__traceback__)
    keep = [f for f in frames if '<exec>' in f] + [frames[-1]]
    return ''.join(keep).rstrip()
reserved = [n for n in req['vars'] if n.startswith('__') and n.endswith('__')]
if reserved:
    report({'ok': False, 'kind': 'exception', 'message': 'NameError: the variable "%s" cannot be a Python global (names like __x__ belong to Python); rename it or leave it out of inputs' % reserved[0]})
    raise SystemExit(0)
g = {'__name__': '__main__'}
g.update(req['vars'])
missing = object()
before = g.get('result', missing)
try:
    code = compile(req['code'], '<exec>', 'exec')
except SyntaxError as e:
    report({'ok': False, 'kind': 'syntax', 'message': ''.join(traceback.format_exception_only(type(e), e)).rstrip(), 'line': e.lineno})
    raise SystemExit(0)
sys.stdout = cap
try:
    exec(code, g)
    sys.stdout = real
    r = g.get('result', missing)
    if r is not missing and r is not before:
        try:
            text = r if isinstance(r, str) else json.dumps(r, default=repr, ensure_ascii=False)
        except Exception as e:
            text = None
            unrenderable = ''.join(traceback.format_exception_only(type(e), e)).strip()
    else:
        text = ''.join(cap.parts)
    if text is None:
        report({'ok': False, 'kind': 'exception', 'message': unrenderable + ' (while rendering result as JSON: set result to a str, or to JSON data)'})
    else:
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

/** The kinds of failure the wrapper reports (`broken` is only ever the host's to say). */
const WRAPPER_KINDS: readonly string[] = ["syntax", "exception", "memory", "output"];

/**
 * `line` as the wrapper's report, or `undefined` when it is not one. The code writes to the same
 * stdout, so a last line may be its own: one that says the sandbox is broken, which the wrapper
 * never says, is not a report (the code cannot pass for an infrastructure failure).
 */
export function wrapperReport(line: string): SandboxResponse | undefined {
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (parsed?.ok === true && typeof parsed.output === "string") return parsed;
  if (
    parsed?.ok === false && WRAPPER_KINDS.includes(parsed.kind) &&
    typeof parsed.message === "string"
  ) return parsed;
  return undefined;
}
