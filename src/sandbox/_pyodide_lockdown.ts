/**
 * What the Pyodide child does to its own interpreter and JavaScript realm after Python is loaded
 * and before the model's code runs, so that the code cannot reach JavaScript, and finds nothing
 * there if it does. Each step is defense in depth: the boundary that does not depend on any of
 * them is the child's Deno permissions and its process limits (docs/explanation/sandbox.md).
 *
 * @module
 */

/** Module names (and their submodules) that lead from Python to JavaScript or to raw memory. */
export const BLOCKED_MODULES = [
  "js",
  "pyodide_js",
  "pyodide",
  "_pyodide",
  "_pyodide_core",
  "micropip",
  "ctypes",
  "_ctypes",
  "_testcapi",
  "_testinternalcapi",
  "_testlimitedcapi",
  "_testbuffer",
  "_testclinic",
  "_testclinic_limited",
  "_xxtestfuzz",
  "_remote_debugging",
  "_posixsubprocess",
  "mmap",
  "_tracemalloc",
];

/**
 * Python run once, before the code. It defines `__rlm_lockdown(blocked)`, which drops the
 * references Python holds to JavaScript proxies, takes the `blocked` modules (and their submodules)
 * out of `sys.modules` and Pyodide's finder out of `sys.meta_path`, makes `_imp.create_builtin`
 * refuse them, makes `time.sleep` a busy wait, and installs an audit hook (which Python cannot
 * remove) that refuses to import them (or `_imp`), ctypes, the garbage collector's object walks,
 * frame access, trace and profile hooks, new code or function objects, reading function defaults,
 * processes and signals, and opening devices other than `/dev/null`, `/dev/zero`, `/dev/urandom`
 * and `/dev/random`. It returns `run(code, g)`, which runs the code and renders `result`.
 */
export const LOCKDOWN_PY = String.raw`
def __rlm_lockdown(blocked):
    import sys, json, traceback, _imp
    roots = frozenset(blocked)
    def is_blocked(name, _roots=roots):
        # "".join copies a str subclass's characters, whatever methods it overrides.
        return isinstance(name, str) and str.partition("".join([name]), ".")[0] in _roots
    scrub()
    for name in list(sys.modules):
        if is_blocked(name):
            del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "JsFinder"]
    sys.path_importer_cache.clear()
    original = _imp.create_builtin
    from types import SimpleNamespace
    def create_builtin(spec, _o=original, _b=is_blocked, _ns=SimpleNamespace):
        name = getattr(spec, "name", None)
        if not isinstance(name, str) or _b(name):
            raise ImportError("module %r is not available in the rlm sandbox" % (name,))
        # A fresh spec: the C function reads the name again, and it must be the one checked.
        return _o(_ns(name="".join([name])))
    _imp.create_builtin = create_builtin
    refused = frozenset({
        "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._getframe",
        "sys._getframemodulename", "sys._current_frames", "sys._current_exceptions",
        "sys.addaudithook", "sys.setprofile", "sys.settrace", "sys.monitoring.register_callback",
        "cpython.PyInterpreterState_Clear", "code.__new__", "function.__new__",
        "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
        "os.kill", "os.killpg", "subprocess.Popen", "mmap.__new__", "os.mknod",
    })
    # The defaults of create_builtin hold the original: reading defaults is refused.
    private = ("__defaults__", "__kwdefaults__")
    def hook(event, args, _b=is_blocked, _r=refused, _p=private):
        if event == "import":
            # A fresh _imp (after del sys.modules["_imp"]) would have the original create_builtin.
            if _b(args[0]) or args[0] == "_imp":
                raise ImportError("module %r is not available in the rlm sandbox" % args[0])
        elif event in _r or event.startswith("ctypes."):
            raise PermissionError("%s is not available in the rlm sandbox" % event)
        elif event == "object.__getattr__" and args[1] in _p:
            raise PermissionError("reading %s is not available in the rlm sandbox" % args[1])
        elif event == "open" and isinstance(args[0], str) and args[0].startswith("/dev/") \
                and args[0] not in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"):
            raise PermissionError("opening %s is not available in the rlm sandbox" % args[0])
    missing = object()
    def render_error(e):
        text = "".join(traceback.format_exception_only(type(e), e)).strip()
        return text + " (while rendering result as JSON: set result to a str, or to JSON data)"
    stdout = sys.stdout
    def run(code, g, _json=json, _missing=missing, _compile=compile, _exec=exec, _out=stdout):
        before = g.get("result", _missing)
        try:
            _exec(_compile(code, "<exec>", "exec"), g)
        finally:
            _out.flush()
        after = g.get("result", _missing)
        if after is _missing or after is before:
            return None
        if isinstance(after, str):
            return ["ok", after]
        try:
            return ["ok", _json.dumps(after, default=repr, ensure_ascii=False)]
        except BaseException as e:
            return ["error", render_error(e)]
    import time
    def sleep(seconds, _now=time.monotonic):
        # Pyodide's time.sleep goes through its JavaScript event loop, which is gone: wait here.
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        end = _now() + seconds
        while _now() < end:
            pass
    time.sleep = sleep
    sys.addaudithook(hook)
    return run

def scrub():
    # Drop every reference Python still holds to a JavaScript proxy or to _pyodide_core (the
    # functions that make proxies), and to whatever holds one and cannot be emptied, until none is
    # left. Proxies are not tracked by the collector: they are found as referents of what is. The
    # scans are the collector's own (one C-level pass per round), not a Python loop per object.
    import gc, itertools, operator, sys
    from pyodide.ffi import JsProxy
    core = sys.modules.get("_pyodide_core")
    bad = {id(core): core} if core is not None else {}
    if core is not None:
        bad.update((id(v), v) for v in vars(core).values()
                   if type(v).__name__ == "builtin_function_or_method")
    # Filtered by C iterators (a Python loop over every referent costs a quarter of a second).
    refs = gc.get_referents(*gc.get_objects())
    kinds = {t for t in set(map(type, refs)) if issubclass(t, JsProxy)}
    bad.update((id(r), r) for r in itertools.compress(refs, map(kinds.__contains__, map(type, refs))))
    del refs
    frontier = list(bad.values())
    while frontier:
        found = []
        args = tuple(frontier)
        holders = gc.get_referrers(*args)
        for o in holders:
            if o is bad or o is frontier or o is found or o is holders or id(o) in bad:
                continue
            # The call's own argument tuple holds the frontier too (and is a copy of args).
            if type(o) is tuple and len(o) == len(args) and all(map(operator.is_, o, args)):
                continue
            if type(o) is dict:
                for k in [k for k, v in o.items() if id(v) in bad or id(k) in bad]:
                    del o[k]
            elif type(o) is list:
                o[:] = [v for v in o if id(v) not in bad]
            elif type(o).__name__ == "cell":
                o.cell_contents = None
            else:
                bad[id(o)] = o
                found.append(o)
        del holders, args
        frontier = found
    bad.clear()
    gc.collect()
`;
