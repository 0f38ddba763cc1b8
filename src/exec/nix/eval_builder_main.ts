/**
 * The builder of `eval` derivations (with `--wasm-python`): the WASI python.wasm and its
 * standard library are store inputs, the Nix build is the process boundary (its sandbox has no
 * network and no host files), and Nix's build timeout the clock. A bundle of its own, so that
 * the other ops' builder does not load the Python runtime.
 *
 * Environment: as `builder_main.ts`, plus `python_wasm`, `python_stdlib`, `eval_memory_mb` and
 * `eval_max_output`.
 *
 * @module
 */
import { env, readTask, writeNotRun, writeOpError, writeOutcome } from "./_builder_io.ts";
import { runWasiPython } from "../../sandbox/wasi_python.ts";
import { sandboxFailure } from "../../sandbox/sandbox_failure.ts";
import { SandboxRuntimeError } from "../../protocol/sandbox_errors.ts";
import { fileQuotaBytes } from "../../sandbox/sandbox_limits.ts";
import { createVars } from "../../ops/vars.ts";
import { OpError } from "../../ops/op_error.ts";
import type { Operation } from "../../ops/operation.ts";

const { op, vars, failedInput } = readTask();
if (op.op !== "eval") throw new Error(`builder: ${op.op} runs in the op builder`);
if (failedInput !== undefined) await writeNotRun(failedInput);
else await runEval(op);

async function runEval(op: Extract<Operation, { op: "eval" }>): Promise<void> {
  try {
    const read = createVars(vars, "eval");
    // By default every variable but those named like Python's own globals, as `eval` outside Nix
    // (src/ops/eval.ts).
    const names = op.args.inputs ?? read.names().filter((name) => !/^__.*__$/.test(name));
    const values = Object.fromEntries(names.map((n) => [n, read.value(n, "inputs")]));
    // No stdlib: a python.wasm with its standard library packed inside.
    const zip = Deno.env.get("python_stdlib") || undefined;
    const response = await runWasiPython(
      await WebAssembly.compile(Deno.readFileSync(env("python_wasm"))),
      zip
        ? { name: zip.slice(zip.lastIndexOf("/") + 34), bytes: Deno.readFileSync(zip) }
        : undefined,
      {
        code: op.args.code,
        vars: values,
        maxOutputBytes: Number(env("eval_max_output")),
        maxFileBytes: fileQuotaBytes({ memoryMb: Number(env("eval_memory_mb")) }),
      },
    );
    if (response.ok) {
      await writeOutcome({ ok: true, value: response.output });
      return;
    }
    const failure = sandboxFailure(response, { memoryMb: Number(env("eval_memory_mb")) });
    // A python.wasm that cannot run is not a result of the code: the build fails (exit 1 of
    // rlm), and nothing is stored that a later run would take for the answer.
    if (failure instanceof SandboxRuntimeError) {
      console.error(failure.message);
      Deno.exit(1);
    }
    await writeOutcome({ ok: false, error: { op: "eval", reason: failure.message } });
  } catch (error) {
    if (!(error instanceof OpError)) throw error;
    await writeOpError(error);
  }
}
