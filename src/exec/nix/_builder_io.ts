/**
 * What both op builders share: the derivation's environment, its input values, and writing the
 * outcome to `$out`.
 *
 * @module
 */
import {
  decodeStoreEntry,
  encodeEntryAsync,
  encodeErrorOutcome,
  ERROR_MAGIC,
  type OpFailure,
} from "./_builder_entry.ts";
import type { OpError } from "../../ops/op_error.ts";
import type { Operation } from "../../ops/operation.ts";
import type { Binding } from "../../protocol/value.ts";
import type { Outcome } from "./_outcome.ts";

/** A variable of the derivation's environment, which must be set. */
export function env(name: string): string {
  const v = Deno.env.get(name);
  if (v === undefined) throw new Error(`builder: $${name} is not set`);
  return v;
}

/**
 * The op of this derivation (`$op`) and its input values (`$inputs`: name → store path). An
 * input may be the output of another op's derivation (a chain realised in one round); when that
 * op failed, `failedInput` names the input, and `vars` lacks it.
 */
export function readTask(): { op: Operation; vars: Map<string, Binding>; failedInput?: string } {
  const op = JSON.parse(env("op")) as Operation;
  const inputs = JSON.parse(env("inputs")) as Record<string, string>;
  const vars = new Map<string, Binding>();
  let failedInput: string | undefined;
  for (const [name, path] of Object.entries(inputs)) {
    const bytes = Deno.readFileSync(path);
    if (isErrorOutcome(bytes)) {
      failedInput ??= name;
      continue;
    }
    vars.set(name, { value: decodeStoreEntry(bytes, `input ${name} (${path})`), hash: "" });
  }
  return { op, vars, failedInput };
}

const MAGIC = new TextEncoder().encode(ERROR_MAGIC);

function isErrorOutcome(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The outcome of an op whose input `name` is another op's error: not run. A deterministic output
 * too (the same failed input gives the same derivation); rlm reports the upstream op's error.
 */
export async function writeNotRun(name: string): Promise<void> {
  const { op } = JSON.parse(env("op")) as Operation;
  await writeOutcome({
    ok: false,
    error: { op, reason: `not run: its input "${name}" is an op error` },
  });
}

/**
 * Write `error` to `$out` as its fields, so rlm rebuilds the same error. An `OpError` whose
 * message is not its fields' (no such op error exists) is thrown: the build fails, as for any
 * failure that is not the op's.
 */
export async function writeOpError(error: OpError): Promise<void> {
  const prefix = error.arg === undefined ? `${error.op}: ` : `${error.op}: arg "${error.arg}": `;
  if (!error.message.startsWith(prefix)) throw error;
  const reason = error.message.slice(prefix.length);
  const failure: OpFailure = error.arg === undefined
    ? { op: error.op, reason }
    : { op: error.op, arg: error.arg, reason };
  await writeOutcome({ ok: false, error: failure });
}

/** Write `outcome` to `$out`. */
export async function writeOutcome(outcome: Outcome): Promise<void> {
  Deno.writeFileSync(
    env("out"),
    outcome.ok ? await encodeEntryAsync(outcome.value) : encodeErrorOutcome(outcome.error),
  );
}
