/**
 * What an op derivation's output holds: a value entry, or an op error (a bad pattern is as
 * deterministic a result as a match), read back on the host.
 *
 * @module
 */
import { decodeEntry } from "../../cache/file_store.ts";
import { OpError } from "../../ops/op_error.ts";
import type { Value } from "../../protocol/value.ts";
import { ERROR_MAGIC, type OpFailure } from "./_builder_entry.ts";

/** An op's outcome. */
export type Outcome = { ok: true; value: Value } | { ok: false; error: OpFailure };

/**
 * Parse an outcome; `undefined` if the bytes are neither a verified value entry nor an op error
 * with its fields (corrupt, or written by an older builder).
 */
export function decodeOutcome(bytes: Uint8Array): Outcome | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, ERROR_MAGIC.length));
  if (head === ERROR_MAGIC) {
    const error = opFailure(new TextDecoder().decode(bytes.subarray(ERROR_MAGIC.length)));
    return error === undefined ? undefined : { ok: false, error };
  }
  const value = decodeEntry(bytes);
  return value === undefined ? undefined : { ok: true, value };
}

/** The `OpError` a builder recorded, the same message as where it was thrown. */
export function opErrorOf(failure: OpFailure): OpError {
  return new OpError(failure.op, failure.arg, failure.reason);
}

function opFailure(json: string): OpFailure | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { op, arg, reason } = parsed as Record<string, unknown>;
  if (typeof op !== "string" || typeof reason !== "string") return undefined;
  if (arg !== undefined && typeof arg !== "string") return undefined;
  return arg === undefined ? { op, reason } : { op, arg, reason };
}
