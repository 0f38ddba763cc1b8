/**
 * Python snippets a hostile or confused model might write. Each must end as a typed error (or a
 * harmless result) within its bound, and leak nothing from the host.
 *
 * @module
 */

/** One snippet: what it tries, and how it must end. */
export interface HostileCase {
  name: string;
  code: string;
  /** The error class name it must end with ("ok": a harmless result), or several allowed ones. */
  expect: HostileOutcome | HostileOutcome[];
  /** For "ok": text the output must not contain (a leak). */
  mustNotContain?: string[];
}

/** How a snippet may end. */
export type HostileOutcome =
  | "SandboxTimeoutError"
  | "SandboxMemoryError"
  | "SandboxOutputError"
  | "SandboxExceptionError"
  | "SandboxSyntaxError"
  | "ok";

/** The secret the host holds in its environment during the tests. */
export const HOST_SECRET = "sk-host-secret-never-visible";

/** The corpus. */
export const HOSTILE_CASES: HostileCase[] = [
  {
    name: "read /etc/passwd",
    code: "print(open('/etc/passwd').read())",
    expect: "SandboxExceptionError",
  },
  {
    name: "read the host's home",
    code: "import os; print(os.listdir('/root'))",
    expect: "SandboxExceptionError",
  },
  {
    name: "leave the folder with ..",
    code: "print(open('/../../../etc/passwd').read())",
    expect: "SandboxExceptionError",
  },
  {
    name: "absolute symlink to a host file",
    code: "import os\nos.symlink('/etc/passwd', '/lib/link')\nprint(open('/lib/link').read())",
    expect: "SandboxExceptionError",
  },
  {
    name: "relative symlink out of the folder",
    code:
      "import os\nos.symlink('../../../../etc/passwd', '/lib/up')\nprint(open('/lib/up').read())",
    expect: "SandboxExceptionError",
  },
  {
    name: "read the environment",
    code: "import os; print(dict(os.environ))",
    expect: "ok",
    mustNotContain: [HOST_SECRET, "OPENAI_API_KEY"],
  },
  {
    name: "read the API key by name",
    code: "import os; print(os.environ.get('OPENAI_API_KEY'))",
    expect: "ok",
    mustNotContain: [HOST_SECRET],
  },
  { name: "import js", code: "import js", expect: "SandboxExceptionError" },
  {
    name: "js.Deno file read",
    code: "import js; js.Deno.readTextFileSync('/etc/passwd')",
    expect: "SandboxExceptionError",
  },
  { name: "pyodide_js", code: "import pyodide_js", expect: "SandboxExceptionError" },
  {
    name: "pyodide.code.run_js",
    code: "from pyodide.code import run_js; run_js('Deno.env.get(\"HOME\")')",
    expect: "SandboxExceptionError",
  },
  { name: "pyodide.http", code: "import pyodide.http", expect: "SandboxExceptionError" },
  {
    name: "socket connect",
    code: "import socket; s = socket.socket(); s.connect(('127.0.0.1', 22))",
    expect: "SandboxExceptionError",
  },
  {
    name: "urllib fetch",
    code: "import urllib.request; urllib.request.urlopen('http://127.0.0.1:1/')",
    expect: ["SandboxExceptionError", "SandboxTimeoutError"], /* its connect emulation is slow */
  },
  {
    name: "subprocess",
    code: "import subprocess; subprocess.run(['ls', '/'])",
    expect: "SandboxExceptionError",
  },
  {
    name: "os.system",
    code: "import os; r = os.system('touch /tmp/rlm-pwned'); assert r == 0, r",
    expect: "SandboxExceptionError",
  },
  { name: "os.fork", code: "import os; os.fork()", expect: "SandboxExceptionError" },
  {
    name: "fork bomb loop",
    code: "import os\nwhile True: os.fork()",
    expect: "SandboxExceptionError",
  },
  {
    name: "ctypes",
    code: "import ctypes; ctypes.CDLL(None).system(b'id')",
    expect: "SandboxExceptionError",
  },
  {
    name: "write a host file",
    code:
      "open('/tmp/rlm-sandbox-pwned', 'w').write('x')\nimport os\nassert os.path.exists('/tmp/rlm-sandbox-pwned')\nprint('wrote inside the sandbox only')",
    expect: ["ok", "SandboxExceptionError"], /* Pyodide has a /tmp of its own, WASI none */
  },
  { name: "infinite loop", code: "while True: pass", expect: "SandboxTimeoutError" },
  {
    name: "infinite loop printing",
    code: "while True: print('spam')",
    expect: "SandboxOutputError",
  },
  { name: "sleep forever", code: "import time; time.sleep(10**6)", expect: "SandboxTimeoutError" },
  {
    name: "deep recursion",
    code: "def f(n): return f(n + 1)\nf(0)",
    expect: "SandboxExceptionError",
  },
  { name: "6 GB allocation", code: "x = bytearray(6 * 1024**3)", expect: "SandboxExceptionError" },
  {
    name: "1 GB allocation over the limit",
    code: "x = bytearray(1024**3)",
    expect: "SandboxMemoryError",
  },
  {
    name: "growing list",
    code: "x = []\nwhile True: x.append('y' * 10**6)",
    expect: "SandboxMemoryError",
  },
  { name: "giant output", code: "print('x' * 10**7)", expect: "SandboxOutputError" },
  { name: "giant result", code: "result = 'y' * 10**7", expect: "SandboxOutputError" },
  { name: "syntax error", code: "def f(:\n  pass", expect: "SandboxSyntaxError" },
  { name: "exception", code: "raise RuntimeError('nope')", expect: "SandboxExceptionError" },
  { name: "exit", code: "import sys; sys.exit(3)", expect: "SandboxExceptionError" },
  { name: "os._exit", code: "import os; os._exit(0)", expect: "SandboxExceptionError" },
  {
    name: "signals",
    code: "import signal, os; os.kill(os.getpid(), signal.SIGKILL)",
    expect: "SandboxExceptionError",
  },
  {
    name: "threads",
    code: "import threading; t = threading.Thread(target=lambda: None); t.start()",
    expect: "SandboxExceptionError",
  },
  {
    name: "builtins tampering then import",
    code: "import builtins; builtins.__import__ = None\nimport json",
    expect: "SandboxExceptionError",
  },
  {
    name: "reach JS through sys.modules",
    code: "import sys; print(sorted(m for m in sys.modules if 'js' in m))",
    expect: "ok",
    mustNotContain: ["'js'", "pyodide_js"],
  },
];
