#!/usr/bin/env python3
"""A stand-in for the `wasmtime` CLI, on the real Wasmtime engine (the wasmtime-py wheel).

No wasmtime CLI is installable on our machines (not on npm, not in Debian 12), but the official
wasmtime Python wheel is: it ships the same engine (libwasmtime) with its C API. This script
implements exactly the subset of the CLI that rlm uses, with the CLI's meanings, exit codes and
messages for the cases rlm tells apart, so that rlm's wasmtime runtime is tested against the real
engine. Any other flag is rejected with an error (exit 2, as the CLI's argument parser does).

The subset (flag meanings checked against wasmtime's `src/common.rs`, `src/commands/run.rs`,
`src/commands/compile.rs` and `crates/cli-flags/src/lib.rs`):

    wasmtime --version
    wasmtime compile [-C cache=n] [-W fuel=N] -o OUT MODULE
    wasmtime run [-C cache=n] [--allow-precompiled] [-W fuel=N] [-W max-memory-size=BYTES]
                 [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--] MODULE [ARGS]...

Exit codes of `run`: the guest's own exit code when it calls `proc_exit`; 134 (128 + SIGABRT)
after printing `Error: ...` with the trap (e.g. `wasm trap: all fuel consumed by WebAssembly`)
when the guest traps; 1 for other errors; 2 for a bad command line.

Usage in tests: a `wasmtime` script on PATH that runs
`PYTHONPATH=<dir holding the wheel> python3 tools/wasmtime_cli.py "$@"`.
"""
import os
import sys

USAGE_EXIT = 2
TRAP_EXIT = 128 + 6  # what the CLI exits with after a trap on Unix (SIGABRT's code)


class Usage(Exception):
    """A command line this stand-in does not accept."""


def fail_usage(message):
    sys.stderr.write(f"error: {message}\n\n(rlm's wasmtime stand-in implements only: "
                     "--version; compile -C cache=n -W fuel=N -o OUT MODULE; run -C cache=n "
                     "--allow-precompiled -W fuel=N -W max-memory-size=N --dir H::G "
                     "--env K=V [--] MODULE ARGS)\n")
    sys.exit(USAGE_EXIT)


def parse_bool(key, value):
    if value is None or value in ("y", "yes", "true"):
        return True
    if value in ("n", "no", "false"):
        return False
    raise Usage(f"invalid value {value!r} for -C {key}: expected y/n")


def parse_int(flag, value):
    if value is None or not value.isdigit():
        raise Usage(f"invalid value {value!r} for {flag}: expected a non-negative integer")
    return int(value)


def take_value(args, i, flag):
    """The value of an option given as `--flag VALUE`, `--flag=VALUE` or `-XVALUE`."""
    arg = args[i]
    if arg.startswith("--") and "=" in arg:
        return arg.split("=", 1)[1], i + 1
    if not arg.startswith("--") and len(arg) > 2:
        return arg[2:], i + 1
    if i + 1 >= len(args):
        raise Usage(f"a value is required for '{flag}' but none was supplied")
    return args[i + 1], i + 2


def parse(args, command):
    """Parse the options of `command` ("run" or "compile") into a dict."""
    opts = {"fuel": None, "max_memory": None, "dirs": [], "env": [], "precompiled": False,
            "output": None, "positional": []}
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg[:2]
        if arg == "--":
            opts["positional"] = args[i + 1:]
            break
        if not arg.startswith("-") or arg == "-":
            # The module; for `run` everything after it belongs to the guest (trailing var args).
            opts["positional"] = args[i:] if command == "run" else [arg] + opts["positional"]
            if command == "run":
                break
            i += 1
            continue
        if name in ("-W", "--wasm"):
            value, i = take_value(args, i, "-W")
            for item in value.split(","):
                key, _, val = item.partition("=")
                if key == "fuel":
                    opts["fuel"] = parse_int("-W fuel", val)
                elif key == "max-memory-size" and command == "run":
                    opts["max_memory"] = parse_int("-W max-memory-size", val)
                else:
                    raise Usage(f"-W {key} is not implemented by the stand-in")
        elif name in ("-C", "--codegen"):
            value, i = take_value(args, i, "-C")
            for item in value.split(","):
                key, _, val = item.partition("=")
                if key != "cache" or parse_bool(key, val or None):
                    raise Usage(f"-C {item} is not implemented by the stand-in (only cache=n)")
        elif name == "--dir" and command == "run":
            value, i = take_value(args, i, "--dir")
            host, _, guest = value.partition("::")
            opts["dirs"].append((host, guest or host))
        elif name == "--env" and command == "run":
            value, i = take_value(args, i, "--env")
            key, eq, val = value.partition("=")
            if not eq:
                raise Usage("--env NAME (inheriting the host's value) is not implemented")
            opts["env"].append((key, val))
        elif arg == "--allow-precompiled" and command == "run":
            opts["precompiled"] = True
            i += 1
        elif name in ("-o", "--output") and command == "compile":
            opts["output"], i = take_value(args, i, "-o")
        else:
            raise Usage(f"unexpected argument '{arg}' found")
    if not opts["positional"]:
        raise Usage("the following required arguments were not provided: <MODULE>")
    return opts


def engine_for(opts):
    import wasmtime
    config = wasmtime.Config()  # the C API's default: no compilation cache, as with -C cache=n
    if opts["fuel"] is not None:
        config.consume_fuel = True  # what `-W fuel=N` does to the engine's config
    return wasmtime.Engine(config)


def compile_module(opts):
    import wasmtime
    if len(opts["positional"]) != 1:
        raise Usage(f"unexpected argument '{opts['positional'][1]}' found")
    module = opts["positional"][0]
    output = opts["output"] or os.path.splitext(os.path.basename(module))[0] + ".cwasm"
    compiled = wasmtime.Module.from_file(engine_for(opts), module)
    with open(output, "wb") as f:
        f.write(compiled.serialize())


def load(engine, path, allow_precompiled):
    import wasmtime
    with open(path, "rb") as f:
        head = f.read(4)
    if head == b"\x7fELF":  # Wasmtime's precompiled modules are ELF images
        if not allow_precompiled:
            raise RuntimeError("running a precompiled module requires the `--allow-precompiled` flag")
        return wasmtime.Module.deserialize_file(engine, path)
    return wasmtime.Module.from_file(engine, path)


def run_module(opts):
    import wasmtime
    module_path, *guest_args = opts["positional"]
    engine = engine_for(opts)
    try:
        module = load(engine, module_path, opts["precompiled"])
    except (RuntimeError, wasmtime.WasmtimeError) as e:
        sys.stderr.write(f"Error: {e}\n")
        return 1
    store = wasmtime.Store(engine)
    if opts["max_memory"] is not None:
        store.set_limits(memory_size=opts["max_memory"])
    if opts["fuel"] is not None:
        store.set_fuel(opts["fuel"])
    wasi = wasmtime.WasiConfig()
    # argv[0] is the module's base name, as the CLI does (no host path leaks to the guest).
    wasi.argv = [os.path.basename(module_path)] + guest_args
    wasi.env = opts["env"]
    for host, guest in opts["dirs"]:
        wasi.preopen_dir(host, guest)  # read-write, like the CLI's DirPerms::all()
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        instance = linker.instantiate(store, module)
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        return e.code
    except wasmtime.Trap as e:
        sys.stderr.write(f"Error: failed to run main module `{module_path}`\n\nCaused by:\n"
                         f"    0: {e.message}\n")
        return TRAP_EXIT
    except wasmtime.WasmtimeError as e:
        text = str(e)
        if "wasm trap:" in text:  # a trap raised through a host call arrives as an error
            sys.stderr.write(f"Error: failed to run main module `{module_path}`\n\nCaused by:\n"
                             f"    0: {text}\n")
            return TRAP_EXIT
        sys.stderr.write(f"Error: failed to run main module `{module_path}`\n\nCaused by:\n"
                         f"    0: {text}\n")
        return 1
    return 0


def main(argv):
    if argv in (["--version"], ["-V"]):
        import wasmtime
        version = getattr(wasmtime, "__version__", None)
        if version is None:
            from importlib.metadata import version as dist_version
            version = dist_version("wasmtime")
        print(f"wasmtime {version} (rlm stand-in on wasmtime-py)")
        return 0
    if not argv or argv[0] not in ("run", "compile"):
        fail_usage(f"unrecognized subcommand '{argv[0] if argv else ''}'")
    try:
        opts = parse(argv[1:], argv[0])
    except Usage as e:
        fail_usage(str(e))
    if argv[0] == "compile":
        try:
            compile_module(opts)
        except Exception as e:  # the CLI prints the error chain and exits 1
            sys.stderr.write(f"Error: {e}\n")
            return 1
        return 0
    return run_module(opts)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
