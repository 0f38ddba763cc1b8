/**
 * The result store: content-addressed values under cache keys (docs/how-to/cache.md).
 *
 * @module
 */
import type { Value } from "../protocol/value.ts";

/** What a store holds: results of pure ops, and responses of model calls (JSON text). */
export type StoreNamespace = "op" | "llm";

/**
 * A content-addressed store of values. Reads are verified: a corrupt entry, or one stored under
 * another key, is a miss, never returned. Writes are atomic and safe with concurrent writers; a
 * write that fails is a warning, never a failure of the run.
 */
export interface ResultStore {
  /** Where the store lives, for messages (`/home/me/.cache/rlm`, `/nix/store (index: ...)`). */
  readonly location: string;
  get(ns: StoreNamespace, key: string): Promise<Value | undefined>;
  put(ns: StoreNamespace, key: string, value: Value): Promise<void>;
}
