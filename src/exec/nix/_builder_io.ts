/**
 * What both op builders share: the derivation's environment, its input values, and writing the
 * outcome to `$out`.
 *
 * @module
 */
import { decodeStoreEntry, encodeEntryAsync, encodeErrorOutcome } from "./_builder_entry.ts";
import type { Operation } from "../../protocol/ops.ts";
import type { Binding } from "../../protocol/value.ts";
import type { Outcome } from "./_outcome.ts";

/** A variable of the derivation's environment, which must be set. */
export function env(name: string): string {
  const v = Deno.env.get(name);
  if (v === undefined) throw new Error(`builder: $${name} is not set`);
  return v;
}

/** The op of this derivation (`$op`) and its input values (`$inputs`: name → store path). */
export function readTask(): { op: Operation; vars: Map<string, Binding> } {
  const op = JSON.parse(env("op")) as Operation;
  const inputs = JSON.parse(env("inputs")) as Record<string, string>;
  const vars = new Map<string, Binding>();
  for (const [name, path] of Object.entries(inputs)) {
    const value = decodeStoreEntry(Deno.readFileSync(path), `input ${name} (${path})`);
    vars.set(name, { value, hash: "" });
  }
  return { op, vars };
}

/** Write `outcome` to `$out`. */
export async function writeOutcome(outcome: Outcome): Promise<void> {
  Deno.writeFileSync(
    env("out"),
    outcome.ok ? await encodeEntryAsync(outcome.value) : encodeErrorOutcome(outcome.message),
  );
}
