/**
 * The builder of every op derivation: the same op code as the local executor, bundled into one
 * file and run by the Deno binary in the Nix store, inside the Nix sandbox.
 *
 * Environment (set by the derivation): `op` (JSON `{op, args}` of a parsed operation),
 * `inputs` (JSON `{name: storePath}`), `out`. Writes the result entry (see `encodeEntry`) to
 * `$out`; an op that fails on its input writes an error entry instead, so that the failure is a
 * deterministic, cached result like any other.
 *
 * @module
 */
import { encodeOutcome, type Outcome } from "./_outcome.ts";
import { runWasiPython } from "../../sandbox/wasi_python.ts";
import { sandboxFailure } from "../../sandbox/sandbox_failure.ts";
import { OPS } from "../../ops/registry.ts";
import type { OpImpl } from "../../ops/types.ts";
import { createVars } from "../../ops/vars.ts";
import { OpError } from "../../ops/op_error.ts";
import type { Operation } from "../../protocol/ops.ts";
import type { Binding } from "../../protocol/value.ts";
import { decodeEntry } from "../../cache/file_store.ts";

const env = (name: string) => {
  const v = Deno.env.get(name);
  if (v === undefined) throw new Error(`builder: $${name} is not set`);
  return v;
};
const op = JSON.parse(env("op")) as Operation;
const inputs = JSON.parse(env("inputs")) as Record<string, string>;
const vars = new Map<string, Binding>();
for (const [name, path] of Object.entries(inputs)) {
  const value = decodeEntry(Deno.readFileSync(path));
  if (value === undefined) throw new Error(`builder: input ${name} at ${path} is corrupt`);
  vars.set(name, { value, hash: "" });
}
let outcome: Uint8Array;
try {
  if (op.op === "eval") {
    outcome = encodeOutcome(await evalInBuild(op.args, vars));
  } else {
    const impl = OPS[op.op] as OpImpl<typeof op.op>;
    outcome = encodeOutcome({
      ok: true,
      value: await impl(op.args as never, createVars(vars, op.op), {}),
    });
  }
} catch (error) {
  if (!(error instanceof OpError)) throw error;
  outcome = encodeOutcome({ ok: false, message: error.message });
}
Deno.writeFileSync(env("out"), outcome);

/**
 * `eval` with the WASI python.wasm given as a store input: the Nix build is the process
 * boundary (its sandbox has no network and no host files), and Nix's build timeout the clock.
 */
async function evalInBuild(
  args: { code: string; inputs?: string[] },
  vars: Map<string, Binding>,
): Promise<Outcome> {
  const read = createVars(vars, "eval");
  const names = args.inputs ?? read.names();
  const values = Object.fromEntries(names.map((n) => [n, read.value(n, "inputs")]));
  const zip = env("python_stdlib");
  const response = await runWasiPython(
    await WebAssembly.compile(Deno.readFileSync(env("python_wasm"))),
    Deno.readFileSync(zip),
    zip.slice(zip.lastIndexOf("/") + 34),
    { code: args.code, vars: values, maxOutputBytes: Number(env("eval_max_output")) },
  );
  if (response.ok) return { ok: true, value: response.output };
  return {
    ok: false,
    message: `eval: ${
      sandboxFailure(response, { memoryMb: Number(env("eval_memory_mb")) }).message
    }`,
  };
}
