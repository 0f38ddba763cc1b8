/**
 * What an op derivation's output holds: a value entry, or the message of an op error (a bad
 * pattern is as deterministic a result as a match).
 *
 * @module
 */
import { decodeEntry, encodeEntry } from "../../cache/file_store.ts";
import type { Value } from "../../protocol/value.ts";
import { ERROR_MAGIC } from "./_builder_entry.ts";

/** An op's outcome. */
export type Outcome = { ok: true; value: Value } | { ok: false; message: string };

/** Serialize an outcome. */
export function encodeOutcome(outcome: Outcome): Uint8Array {
  return outcome.ok
    ? encodeEntry(outcome.value)
    : new TextEncoder().encode(ERROR_MAGIC + outcome.message);
}

/** Parse an outcome; `undefined` if the bytes are neither (corrupt). */
export function decodeOutcome(bytes: Uint8Array): Outcome | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, ERROR_MAGIC.length));
  if (head === ERROR_MAGIC) {
    return { ok: false, message: new TextDecoder().decode(bytes.subarray(ERROR_MAGIC.length)) };
  }
  const value = decodeEntry(bytes);
  return value === undefined ? undefined : { ok: true, value };
}
