/**
 * Content hashes of DSL values and of cache keys (SPEC §3.5).
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
const LIST_HASH_PREFIX = "rlm-list\n";

/** Hex sha256 of a text value. */
export function hashText(text: string): string {
  return createHash("sha256").update(TEXT_HASH_PREFIX).update(text, "utf8").digest("hex");
}

/**
 * Hex sha256 of a value: texts by content, lists by their items' hashes in order.
 *
 * @example
 * ```ts
 * hashValue(["a", "b"]) !== hashValue("a\nb"); // true: kinds never collide
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
