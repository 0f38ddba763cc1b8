/**
 * The builder of the derivations of ops whose effect is `sandbox` (`eval`), with
 * `--wasm-python`: the WASI python.wasm and its standard library are store inputs, the Nix
 * build is the process boundary (its sandbox has no network and no host files), and Nix's build
 * timeout the clock. The op runs through `runOp`, as everywhere, with a sandbox port that runs
 * python.wasm in this process. A bundle of its own, so that the other ops' builder does not load
 * the Python runtime.
 *
 * Environment: as `builder_main.ts`, plus `python_wasm`, `python_stdlib`, `sandbox_memory_mb`
 * and `sandbox_max_output`.
 *
 * @module
 */
import { env, readTask, writeNotRun, writeOpError, writeOutcome } from "./_builder_io.ts";
import { runWasiPython, type WasiStdlib } from "../../sandbox/wasi_python.ts";
import { sandboxFailure } from "../../sandbox/sandbox_failure.ts";
import { fileQuotaBytes } from "../../sandbox/sandbox_limits.ts";
import { SandboxRuntimeError } from "../../protocol/sandbox_errors.ts";
import type { SandboxPort } from "../../protocol/ports.ts";
import { runOp } from "../../ops/run_op.ts";
import { OpError } from "../../ops/op_error.ts";
import { refusingSubCalls } from "./_builder_ports.ts";

const { op, vars, failedInput } = readTask();
if (failedInput !== undefined) await writeNotRun(failedInput);
else await build();

async function build(): Promise<void> {
  try {
    const ports = { sandbox: await wasiPort(), subCall: refusingSubCalls };
    await writeOutcome({ ok: true, value: await runOp(op, vars, ports) });
  } catch (error) {
    // A python.wasm that cannot run is not a result of the code: the build fails (exit 1 of
    // rlm), and nothing is stored that a later run would take for the answer.
    if (error instanceof SandboxRuntimeError) {
      console.error(error.message);
      Deno.exit(1);
    }
    if (!(error instanceof OpError)) throw error;
    await writeOpError(error);
  }
}

/** The sandbox port of this build: python.wasm in this process, with the build's limits. */
async function wasiPort(): Promise<SandboxPort> {
  const module = await WebAssembly.compile(Deno.readFileSync(env("python_wasm")));
  // No stdlib: a python.wasm with its standard library packed inside.
  const zip = Deno.env.get("python_stdlib") || undefined;
  const stdlib: WasiStdlib | undefined = zip
    ? { name: zip.slice(zip.lastIndexOf("/") + 34), bytes: Deno.readFileSync(zip) }
    : undefined;
  const memoryMb = Number(env("sandbox_memory_mb"));
  const maxOutputBytes = Number(env("sandbox_max_output"));
  return {
    // The cache key's runtime is the executor's (the host knows the python.wasm's hash).
    identity: "nix-build",
    async run(code, values) {
      const response = await runWasiPython(module, stdlib, {
        code,
        vars: values,
        maxOutputBytes,
        maxFileBytes: fileQuotaBytes({ memoryMb }),
      });
      if (response.ok) return response.output;
      throw sandboxFailure(response, { memoryMb });
    },
  };
}
