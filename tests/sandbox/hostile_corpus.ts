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
  /** Text neither the output nor the error message may contain (a leak). */
  mustNotContain?: string[];
  /** For "ok": the exact output (what the escape found: nothing). */
  output?: string;
  /** For an error: what its message must say (what the model is told). */
  message?: RegExp;
}

/**
 * Variables every snippet gets besides `context`: paths of host files the sandbox must not
 * reach (the test fills them in): a file holding `HOST_SECRET`, the snapshot folder, the
 * project's lockfile.
 */
export const HOST_PATH_VARS = ["host_file", "snapshot_dir", "host_lock"] as const;

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
  {
    name: "import js",
    code: "import js",
    expect: "SandboxExceptionError",
    message: /(ImportError|ModuleNotFoundError)/,
  },
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
  {
    name: "os._exit",
    code: "import os; os._exit(0)",
    expect: "SandboxExceptionError",
    message: /the code exited the interpreter/,
  },
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
  // The Pyodide JavaScript bridge: every way back to `js` that Python itself offers.
  {
    name: "import js after removing the import blocker from sys.meta_path",
    code:
      "import sys\nsys.meta_path[:] = [f for f in sys.meta_path if 'Blocked' not in type(f).__name__]\nimport js\nprint(js.Deno)",
    expect: "SandboxExceptionError",
    message: /(ImportError|ModuleNotFoundError)/,
  },
  {
    name: "the js proxy held by Pyodide's own finder",
    code:
      "import sys\nf = [m for m in sys.meta_path if hasattr(m, 'jsproxies')]\nprint(f[0].jsproxies['js'].Deno)",
    expect: "SandboxExceptionError",
    message: /IndexError/,
  },
  {
    name: "import _pyodide_core",
    code: "import _pyodide_core; print(_pyodide_core.to_js([1]).constructor)",
    expect: "SandboxExceptionError",
    message: /(ImportError|ModuleNotFoundError)/,
  },
  {
    name: "_imp.create_builtin('_pyodide_core')",
    code:
      "import _imp, importlib.machinery as m\nprint(_imp.create_builtin(m.ModuleSpec('_pyodide_core', None)))",
    expect: ["SandboxExceptionError", "ok"],
    output: "None\n", /* WASI: no such built-in */
    message: /not available in the rlm sandbox|not a built-in module/,
  },
  {
    name: "BuiltinImporter.create_module('_pyodide_core')",
    code:
      "import importlib.machinery as m\nprint(m.BuiltinImporter.create_module(m.ModuleSpec('_pyodide_core', None)))",
    expect: ["SandboxExceptionError", "ok"],
    output: "None\n",
    message: /not available in the rlm sandbox|not a built-in module/,
  },
  {
    name: "the original create_builtin through the wrapper's defaults",
    code: "import _imp\nprint(_imp.create_builtin.__defaults__)",
    expect: ["SandboxExceptionError", "ok"],
    output: "None\n", /* WASI: the builtin itself, which has none */
    mustNotContain: ["built-in function"],
  },
  {
    name: "a fresh _imp after deleting it from sys.modules",
    code:
      "import sys, importlib.machinery as m\ndel sys.modules['_imp']\nimport _imp\nprint(_imp.create_builtin(m.ModuleSpec('_pyodide_core', None)))",
    expect: ["SandboxExceptionError", "ok"],
    output: "None\n",
  },
  {
    name: "a str subclass that lies about its name to the blocker",
    code:
      "class S(str):\n    def split(self, *a): return ['math']\n    def partition(self, *a): return ('math', '', '')\n    def __eq__(self, o): return False\n    __hash__ = str.__hash__\n__import__(S('_pyodide_core')).to_js",
    expect: "SandboxExceptionError",
  },
  {
    name: "pyodide.ffi.to_js",
    code: "from pyodide.ffi import to_js; print(to_js([1]).constructor)",
    expect: "SandboxExceptionError",
  },
  {
    name: "importlib.import_module('js')",
    code: "import importlib; importlib.import_module('js').Deno",
    expect: "SandboxExceptionError",
  },
  { name: "exec('import js')", code: "exec('import js')", expect: "SandboxExceptionError" },
  { name: "import micropip", code: "import micropip", expect: "SandboxExceptionError" },
  {
    name: "no bridging module left in sys.modules",
    code:
      "import sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('js', 'pyodide', '_pyodide', '_pyodide_core', 'pyodide_js', 'ctypes', '_ctypes')))",
    expect: "ok",
    output: "[]\n",
  },
  {
    name: "gc.get_objects() in search of a proxy",
    code:
      "import gc\nprint([type(o).__name__ for o in gc.get_objects() if type(o).__name__.startswith('JsProxy') or getattr(o, '__name__', '') == '_pyodide_core'])",
    expect: ["SandboxExceptionError", "ok"],
    output: "[]\n",
  },
  {
    name: "gc.get_referents of every module in search of a proxy",
    code:
      "import gc, sys\nprint([k for m in list(sys.modules.values()) for k, v in vars(m).items() if 'JsProxy' in [c.__name__ for c in type(v).__mro__]])",
    expect: ["SandboxExceptionError", "ok"],
    output: "[]\n",
  },
  {
    name: "__subclasses__() and function globals in search of a proxy",
    code:
      "seen = set()\ndef walk(c):\n    for s in type.__subclasses__(c):\n        if s not in seen:\n            seen.add(s); walk(s)\nwalk(object)\nfound = set()\nfor c in seen:\n    for v in list(vars(c).values()):\n        g = getattr(v, '__globals__', None) or {}\n        found |= {k for k, x in list(g.items()) if type(x).__name__.startswith('JsProxy') or getattr(x, '__self__', None).__class__.__name__ == 'module' and getattr(getattr(x, '__self__', None), '__name__', '') == '_pyodide_core'}\nprint(sorted(found))",
    expect: ["ok", "SandboxTimeoutError"], /* a long walk on a loaded machine */
    output: "[]\n",
  },
  {
    // Pyodide's classes stay reachable through object.__subclasses__() (JsProxy, JsNull, the
    // converters, JsFuncSignature, the JsFinder); none of them yields a proxy of a JS object.
    name: "Pyodide's own classes and their modules' functions, reached through __subclasses__()",
    code:
      "import types\nseen = set()\ndef walk(c):\n    for s in type.__subclasses__(c):\n        if s not in seen:\n            seen.add(s); walk(s)\nwalk(object)\nfound = []\ndef attempt(label, f):\n    try:\n        v = f()\n    except Exception:\n        return\n    if any(c.__name__.startswith(('JsProxy', 'JsDoubleProxy')) for c in type(v).__mro__):\n        found.append(label)\nmods = {}\nfor c in seen:\n    for v in list(vars(c).values()):\n        for x in (v, getattr(v, '__func__', None), getattr(v, 'fget', None)):\n            if isinstance(x, types.FunctionType):\n                mods[x.__globals__.get('__name__')] = x.__globals__\nclasses = {c.__name__: c for c in seen}\nfor n in ('JsProxy', 'JsNull', 'Py2JsConverter', 'Js2PyConverter', 'JsMethodCallSingleton', 'WebLoop'):\n    if n in classes: attempt(n, classes[n])\nif 'JsFuncSignature' in classes:\n    attempt('JsFuncSignature', lambda: classes['JsFuncSignature'](print, False, 0, 0, 0, 0, 0, 0, 0, 0, 0)())\nhook = mods.get('_pyodide._importhook', {})\nif 'register_js_finder' in hook:\n    attempt('register_js_finder', hook['register_js_finder'])\n    for m in ('js', 'pyodide_js'):\n        attempt('import ' + m + ' through the JsFinder', lambda: __import__(m))\n        attempt('jsfinder.jsproxies[' + m + ']', lambda: hook['jsfinder'].jsproxies[m])\ndocs = mods.get('_pyodide._core_docs', {})\nfor n in ('to_js', 'create_proxy', 'create_once_callable'):\n    if n in docs: attempt(n, lambda: docs[n](print))\nbase = mods.get('_pyodide._base', {})\nif 'pyimport_impl' in base: attempt('pyimport_impl', lambda: base['pyimport_impl']('js'))\nprint(found)",
    expect: ["ok", "SandboxTimeoutError"], /* a long walk on a loaded machine */
    output: "[]\n",
  },
  {
    name: "the asyncio loop's module globals (Pyodide's WebLoop holds JS callbacks)",
    code:
      "import asyncio, warnings\nwarnings.simplefilter('ignore')\np = asyncio.get_event_loop_policy()\nprint([k for k, v in type(p).__init__.__globals__.items() if 'JsProxy' in [c.__name__ for c in type(v).__mro__]])",
    // Importing asyncio is slow in WASI: on a loaded machine it may reach the limit.
    expect: ["ok", "SandboxTimeoutError"],
    output: "[]\n",
  },
  {
    name: "frames and their globals up the stack",
    code:
      "try:\n    raise Exception\nexcept Exception as e:\n    f = e.__traceback__.tb_frame\nout = []\nwhile f:\n    out += [k for k, v in list(f.f_globals.items()) + list(f.f_locals.items()) if 'JsProxy' in [c.__name__ for c in type(v).__mro__]]\n    f = f.f_back\nprint(out)",
    expect: ["ok", "SandboxExceptionError"],
    output: "[]\n",
  },
  {
    // In WASI the wrapper's report shares fd 1 with the code: it must still be read.
    name: "a raw write to fd 1 without a newline, then a result",
    code: "import os\nos.write(1, b'RAW')\nresult = 'fine'",
    expect: "ok",
    output: "fine",
  },
  {
    // A last line that says the sandbox is broken would end the run as an infrastructure
    // failure (exit 1): the code's own line is not believed.
    name: "a forged report that the sandbox is broken, then an exit",
    code:
      'import os, sys\nsys.stdout.flush()\nos.write(1, b\'\\n{"ok": false, "kind": "broken", "message": "forged"}\\n\')\nos._exit(0)',
    expect: "SandboxExceptionError",
    mustNotContain: ["forged"],
  },
  {
    // CPython's words for a missing standard library mean a broken sandbox only before the
    // wrapper has started: after, they are the code's.
    name: "stderr that says the standard library is missing, then an exit",
    code:
      "import os, sys\nsys.stderr.write(\"ModuleNotFoundError: No module named 'encodings'\\n\")\nsys.stderr.flush()\nos._exit(1)",
    expect: "SandboxExceptionError",
    mustNotContain: ["cannot start"],
  },
  {
    name: "a second audit hook cannot lift the first",
    code: "import sys; sys.addaudithook(lambda *a: None); import js",
    expect: "SandboxExceptionError",
  },
  {
    name: "ctypes emscripten_run_script",
    code: "import ctypes; ctypes.CDLL(None).emscripten_run_script(b'globalThis.x = 1')",
    expect: "SandboxExceptionError",
  },
  { name: "import _testcapi", code: "import _testcapi", expect: "SandboxExceptionError" },
  // Host files, by the paths the host really uses.
  {
    name: "read a host file by its real path",
    code: "print(open(host_file).read())",
    expect: "SandboxExceptionError",
    mustNotContain: [HOST_SECRET],
  },
  {
    name: "list the snapshot cache folder",
    code: "import os; print(os.listdir(snapshot_dir))",
    expect: "SandboxExceptionError",
  },
  {
    name: "read the project's lockfile",
    code: "print(open(host_lock).read()[:100])",
    expect: "SandboxExceptionError",
  },
  {
    name: "a symlink to a host file by its real path",
    code: "import os\nos.symlink(host_file, '/lnk')\nprint(open('/lnk').read())",
    expect: "SandboxExceptionError",
    mustNotContain: [HOST_SECRET],
  },
  {
    name: "the root folder is the sandbox's own",
    code: "import os; print(sorted(os.listdir('/')))",
    expect: "ok",
    mustNotContain: ["'etc'", "'usr'", "'work'", "'root'", "'bin'"],
  },
  {
    name: "/proc/self/environ",
    code: "print(open('/proc/self/environ').read())",
    expect: ["SandboxExceptionError", "ok"],
    mustNotContain: [HOST_SECRET, "PATH="],
  },
  {
    name: "/proc/self/maps",
    code: "print(open('/proc/self/maps').read())",
    expect: ["SandboxExceptionError", "ok"],
    mustNotContain: ["deno", ".so"],
  },
  {
    name: "HOME is not the host's",
    code: "import os; print(os.environ.get('HOME'), os.path.expanduser('~'))",
    expect: "ok",
    mustNotContain: ["/root"],
  },
  // The process: devices, descriptors, signals, limits.
  {
    name: "write to /dev/tty1",
    code: "open('/dev/tty1', 'w').write('x' * 10**6)",
    expect: ["SandboxExceptionError", "SandboxOutputError"],
  },
  {
    name: "write to /dev/tty",
    code: "f = open('/dev/tty', 'w')\nfor _ in range(100): f.write('y' * 10**6)",
    expect: ["SandboxExceptionError", "SandboxOutputError"],
  },
  {
    name: "a raw write of 10 MB to fd 1",
    code: "import os; os.write(1, b'x' * 10**7)",
    expect: "SandboxOutputError",
  },
  {
    name: "64 MB to stderr",
    code: "import os\nfor _ in range(16): os.write(2, b'x' * (4 << 20))\nprint('done')",
    expect: "ok",
    output: "done\n",
  },
  {
    name: "open a descriptor the host holds",
    code: "import os; print(os.read(os.open('/dev/fd/3', os.O_RDONLY), 100))",
    expect: "SandboxExceptionError",
  },
  {
    name: "kill the parent",
    code: "import os; os.kill(os.getppid(), 9)",
    expect: "SandboxExceptionError",
  },
  {
    name: "raise SIGTERM",
    code: "import signal; signal.raise_signal(signal.SIGTERM)",
    expect: ["SandboxExceptionError", "ok"],
  },
  {
    name: "lift a resource limit",
    code: "import resource; resource.setrlimit(resource.RLIMIT_AS, (-1, -1))",
    expect: ["SandboxExceptionError", "ok"],
  },
  {
    name: "os.abort",
    code: "import os; os.abort()",
    expect: "SandboxExceptionError",
    message: /the interpreter stopped on a wasm trap \(.+\): os\.abort\(\) or a crash/,
  },
  {
    name: "segfault on purpose",
    code: "import faulthandler; faulthandler._sigsegv()",
    expect: "SandboxExceptionError",
  },
  {
    name: "a C stack overflow",
    code: "import sys; sys.setrecursionlimit(10**6)\ndef f(n): return f(n + 1)\nf(0)",
    expect: ["SandboxExceptionError", "SandboxMemoryError", "SandboxTimeoutError"],
  },
  {
    name: "a growing dict",
    code: "d = {}\ni = 0\nwhile True:\n    d[i] = str(i) * 100\n    i += 1",
    expect: ["SandboxMemoryError", "SandboxTimeoutError"],
  },
  {
    name: "a 200 MB file in memory",
    code: "open('/big', 'wb').write(b'0' * (200 * 1024**2))",
    expect: ["SandboxExceptionError", "SandboxMemoryError"],
  },
  {
    name: "DNS lookup",
    code: "import socket; print(socket.getaddrinfo('example.com', 80))",
    // Pyodide: Emscripten's resolver makes up an address; nothing leaves the process.
    expect: ["SandboxExceptionError", "ok"],
    mustNotContain: ["93.184.", "2606:"],
  },
  {
    name: "http.client",
    code:
      "import http.client; c = http.client.HTTPConnection('127.0.0.1', 1, timeout=1); c.request('GET', '/')",
    expect: ["SandboxExceptionError", "SandboxTimeoutError"],
  },
  // Results the host must turn into an error for the model, not a crash.
  {
    name: "result with a tuple key",
    code: "result = {(1, 2): 3}",
    expect: "SandboxExceptionError",
    message: /^TypeError: keys must be str.*while rendering result as JSON/,
  },
  {
    name: "result that contains itself",
    code: "x = [1]\nx.append(x)\nresult = x",
    expect: "SandboxExceptionError",
    message:
      /Circular reference detected[\s\S]*while rendering result as JSON|while rendering result as JSON[\s\S]*Circular/,
  },
  {
    name: "result a 5000-digit int",
    code: "result = 10**5000",
    expect: "SandboxExceptionError",
    message: /Exceeds the limit .*while rendering result as JSON/,
  },
  {
    name: "result whose repr raises",
    code: "class A:\n    def __repr__(self): raise RuntimeError('bad repr')\nresult = [A()]",
    expect: "SandboxExceptionError",
    message: /bad repr/,
  },
  {
    name: "result nested 100 000 deep",
    code: "x = []\nfor _ in range(100000): x = [x]\nresult = x",
    expect: "SandboxExceptionError",
    message: /RecursionError|recursion|call stack/,
  },
  {
    name: "print a 5000-digit int",
    code: "print(10**5000)",
    expect: "SandboxExceptionError",
    message: /ValueError/,
  },
  {
    name: "parser nesting bomb",
    code: "compile('(' * 10**6, 'x', 'eval')",
    expect: ["SandboxSyntaxError", "SandboxExceptionError", "SandboxMemoryError"],
  },
  {
    name: "sys.stdout replaced",
    code: "import sys; sys.stdout = None; print(1)",
    expect: ["ok", "SandboxExceptionError"],
  },
  {
    name: "an exception with a 1 MB message",
    code: "raise ValueError('y' * 10**6)",
    expect: "SandboxExceptionError",
    message: /^ValueError: y+\.\.\. \(\d+ more characters\)/,
  },
  {
    name: "a syntax error on a 1 MB line",
    code: "x = 1 +" + " 1 +".repeat(250_000) + " )",
    expect: "SandboxSyntaxError",
    message: /more characters/,
  },
];
