/**
 * Content hashes of DSL values and of cache keys (docs/how-to/cache.md).
 *
 * A text hashes as sha256 of `"rlm-text\n"` and its UTF-8 bytes, so a file that is valid
 * UTF-8 can be hashed as it streams from disk; a list hashes over its items' hashes.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Value } from "../protocol/value.ts";
import { canonicalJson } from "./canonical_json.ts";

/** Version of the key and hash formats; bump it to invalidate every cache entry. */
export const CACHE_FORMAT_VERSION = 1;

/** Prefix hashed before a text's UTF-8 bytes. */
export const TEXT_HASH_PREFIX = "rlm-text\n";
/** Prefix hashed before the item hashes of a list. */
export const LIST_HASH_PREFIX = "rlm-list\n";

const SLICE = 1 << 22;
const encoder = new TextEncoder();
let scratch: Uint8Array | undefined;

/** Hex sha256 of a text value (its UTF-8 bytes; lone surrogates count as U+FFFD). */
export function hashText(text: string): string {
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  if (text.length < SLICE) return h.update(text, "utf8").digest("hex");
  // Encoding slices into one reused buffer is ~4x faster than hashing a huge string directly.
  scratch ??= new Uint8Array(SLICE * 3);
  for (let i = 0; i < text.length;) {
    let end = Math.min(text.length, i + SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
    const { written } = encoder.encodeInto(text.slice(i, end), scratch);
    h.update(scratch.subarray(0, written));
    i = end;
  }
  return h.digest("hex");
}

/** Hex sha256 of the text that is the concatenation of `pieces` (equal to `hashText` of it). */
export function hashTextPieces(pieces: Iterable<string>): string {
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  for (const piece of pieces) h.update(piece, "utf8");
  return h.digest("hex");
}

/**
 * Hex sha256 of a text value given as its UTF-8 bytes: `hashText` of the decoded text when the
 * bytes are valid UTF-8 with no byte-order mark (else decoding changes them, and so the hash).
 */
export function hashTextBytes(bytes: Uint8Array): string {
  return createHash("sha256").update(TEXT_HASH_PREFIX).update(bytes).digest("hex");
}

/**
 * Hex sha256 of a value: texts by content, lists by their items' hashes in order.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(hashValue(["a", "b"]) === hashValue("a\nb"), false); // kinds never collide
 * ```
 */
export function hashValue(value: Value): string {
  if (typeof value === "string") return hashText(value);
  const h = createHash("sha256").update(LIST_HASH_PREFIX);
  for (const item of value) h.update(hashText(item)).update("\n");
  return h.digest("hex");
}

/** Hex sha256 of the canonical JSON of `data`, tagged with the format version. */
export function hashKey(data: Record<string, unknown>): string {
  return createHash("sha256")
    .update(canonicalJson({ v: CACHE_FORMAT_VERSION, ...data }))
    .digest("hex");
}
