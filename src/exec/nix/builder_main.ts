/**
 * The builder of the derivations of pure ops: the same op code as the local executor, bundled
 * into one file and run by the Deno binary in the Nix store, inside the Nix sandbox.
 *
 * Environment (set by the derivation): `op` (JSON `{op, args}` of a parsed operation),
 * `inputs` (JSON `{name: storePath}`), `out`. Writes the result entry (see `encodeEntry`) to
 * `$out`; an op that fails on its input writes an error entry instead, so that the failure is a
 * deterministic, cached result like any other.
 *
 * Every build starts a new Deno with no code cache, so this bundle holds as little as it can:
 * the op code, no `node:` module (hashes come from WebCrypto), no schemas. Ops whose effect is
 * `sandbox` have their own builder (`sandbox_builder_main.ts`), with the Python runtime.
 *
 * @module
 */
import { readTask, writeNotRun, writeOpError, writeOutcome } from "./_builder_io.ts";
import { runOp } from "../../ops/run_op.ts";
import { OpError } from "../../ops/op_error.ts";
import { refusingSandbox, refusingSubCalls } from "./_builder_ports.ts";

const { op, vars, failedInput } = readTask();
if (failedInput !== undefined) await writeNotRun(failedInput);
else await build();

async function build(): Promise<void> {
  try {
    await writeOutcome({
      ok: true,
      value: await runOp(op, vars, { sandbox: refusingSandbox, subCall: refusingSubCalls }),
    });
  } catch (error) {
    if (!(error instanceof OpError)) throw error;
    await writeOpError(error);
  }
}
