/**
 * The content-addressed store on the file system (docs/how-to/cache.md): one file per entry under
 * `<dir>/v1/<namespace>/<2 hex>/<key>`.
 *
 * An entry is a one-line JSON header (`ns` and `key` it was stored under, `kind`, `hash` of the
 * value, byte `lengths` of the items) followed by the raw UTF-8 payload, so a 100 MB text is
 * stored and read without JSON escaping. Writes go to a temp file in the same folder and are
 * renamed into place (atomic, safe with concurrent writers: the last rename wins and both wrote
 * the same content). Every read is checked against the header: an entry stored under another key
 * (copied or pulled to the wrong path), corrupt or truncated, is deleted and reads as a miss.
 * Anything at an entry's path that is not a regular file (a folder, a FIFO, a symlink) is never
 * opened: it is a miss. A cache that cannot be written (read-only, full) is a warning, once per
 * store, and the run goes on without storing.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { UsageError } from "../protocol/errors.ts";
import type { Value } from "../protocol/value.ts";
import { hashTextBytes, hashValue, LIST_HASH_PREFIX } from "./hash.ts";
import type { ResultStore, StoreNamespace } from "./store.ts";

/** Layout version of entries; part of the path so a new layout never reads an old one. */
export const FILE_STORE_LAYOUT = "v1";

/** Where an entry says it belongs: its namespace and key. */
export interface EntryAddress {
  ns: string;
  key: string;
}

/** The first line of an entry. */
export interface EntryHeader {
  /** Where it was stored (absent in the Nix builder's entries, which have no address). */
  ns?: string;
  key?: string;
  kind: "text" | "list";
  hash: string;
  lengths?: number[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Options of a `FileStore`. */
export interface FileStoreOptions {
  /**
   * Told once, the first time the cache cannot be read or written (the run goes on without it).
   * @default {a line on stderr}
   */
  onWarning?: (message: string) => void;
}

/** A `ResultStore` in a directory. */
export class FileStore implements ResultStore {
  /** The cache directory (the parent of `v1/`). */
  readonly location: string;
  readonly #warn: (message: string) => void;
  #warned = false;

  constructor(dir: string, options: FileStoreOptions = {}) {
    this.location = dir;
    this.#warn = options.onWarning ?? ((message) => console.error(`rlm: warning: ${message}`));
  }

  /** Path of the entry for `key` in `ns`. */
  pathOf(ns: StoreNamespace, key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new TypeError(`Invalid cache key "${key}"`);
    return `${this.location}/${FILE_STORE_LAYOUT}/${ns}/${key.slice(0, 2)}/${key}`;
  }

  async get(ns: StoreNamespace, key: string): Promise<Value | undefined> {
    const path = this.pathOf(ns, key);
    let bytes: Uint8Array;
    try {
      // Never open what is not a regular file: a FIFO would block, a folder fail.
      if (!(await Deno.lstat(path)).isFile) return undefined;
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      this.#warnOnce(`cannot read the cache in "${this.location}" (${reason(error)})`);
      return undefined;
    }
    const value = decodeEntry(bytes, { ns, key });
    if (value === undefined) {
      // Deleted only when no folder on the way is a symlink, which could lead out of the cache.
      if (await this.#realFolders(ns, key)) await Deno.remove(path).catch(() => {});
      return undefined;
    }
    // Mark the entry used, for `rlm cache gc --older-than`.
    const now = new Date();
    await Deno.utime(path, now, now).catch(() => {});
    return value;
  }

  async put(ns: StoreNamespace, key: string, value: Value): Promise<void> {
    const path = this.pathOf(ns, key);
    const folder = path.slice(0, path.lastIndexOf("/"));
    const tmp = `${folder}/.tmp-${crypto.randomUUID()}`;
    try {
      await Deno.mkdir(folder, { recursive: true });
      await Deno.writeFile(tmp, encodeEntry(value, { ns, key }), { createNew: true });
      await Deno.rename(tmp, path);
    } catch (error) {
      await Deno.remove(tmp).catch(() => {});
      this.#warnOnce(
        `cannot write to the cache in "${this.location}" (${reason(error)}); ` +
          "going on without storing results",
      );
    }
  }

  async #realFolders(ns: StoreNamespace, key: string): Promise<boolean> {
    let path = this.location;
    for (const part of [FILE_STORE_LAYOUT, ns, key.slice(0, 2)]) {
      path = `${path}/${part}`;
      const info = await Deno.lstat(path).catch(() => undefined);
      if (!info?.isDirectory || info.isSymlink) return false;
    }
    return true;
  }

  #warnOnce(message: string): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#warn(message);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Open (creating it if needed) the store in `dir`. A `dir` that is a file is a `UsageError`; one
 * that cannot be created or written is not an error: the store warns on first use.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const store = await openFileStore(dir);
 * await store.put("op", "ab".repeat(32), ["a", "b"]);
 * assertEquals(await store.get("op", "ab".repeat(32)), ["a", "b"]);
 * assertEquals(await store.get("op", "cd".repeat(32)), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openFileStore(
  dir: string,
  options: FileStoreOptions = {},
): Promise<FileStore> {
  const info = await Deno.stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory) {
    throw new UsageError(
      `Cannot use cache directory "${dir}": it is not a directory (set --cache-dir or RLM_CACHE_DIR)`,
    );
  }
  await Deno.mkdir(`${dir}/${FILE_STORE_LAYOUT}`, { recursive: true }).catch(() => {});
  return new FileStore(dir, options);
}

/**
 * Serialize a value: header line, then payload. With `at`, the header records the address it is
 * stored at, and `decodeEntry` with an address accepts it only there.
 */
export function encodeEntry(value: Value, at?: EntryAddress): Uint8Array {
  const items = typeof value === "string" ? [value] : value;
  const payloads = items.map((s) => encoder.encode(s));
  const address = at === undefined ? {} : { ns: at.ns, key: at.key };
  const header: EntryHeader = typeof value === "string"
    ? { ...address, kind: "text", hash: hashValue(value) }
    : { ...address, kind: "list", hash: hashValue(value), lengths: payloads.map((p) => p.length) };
  const head = encoder.encode(JSON.stringify(header) + "\n");
  const out = new Uint8Array(head.length + payloads.reduce((n, p) => n + p.length, 0));
  out.set(head, 0);
  let offset = head.length;
  for (const p of payloads) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Parse and verify an entry; `undefined` if it is corrupt or truncated, or, given the address `at`
 * it was read from, if it does not record that address (stored under another key, or by a
 * version that recorded none).
 */
export function decodeEntry(bytes: Uint8Array, at?: EntryAddress): Value | undefined {
  const header = entryHeader(bytes);
  if (header === undefined) return undefined;
  if (at !== undefined && (header.ns !== at.ns || header.key !== at.key)) return undefined;
  const payload = bytes.subarray(bytes.indexOf(10) + 1);
  if (header.kind === "text") {
    if (hashTextBytes(payload) !== header.hash) return undefined;
    return decoder.decode(payload);
  }
  if (header.kind !== "list" || !Array.isArray(header.lengths)) return undefined;
  if (!header.lengths.every((l) => Number.isSafeInteger(l) && l >= 0)) return undefined;
  const total = header.lengths.reduce((n, l) => n + l, 0);
  if (total !== payload.length) return undefined;
  const list = createHash("sha256").update(LIST_HASH_PREFIX);
  const items: string[] = [];
  let offset = 0;
  for (const length of header.lengths) {
    const item = payload.subarray(offset, offset + length);
    list.update(hashTextBytes(item)).update("\n");
    items.push(decoder.decode(item));
    offset += length;
  }
  return list.digest("hex") === header.hash ? items : undefined;
}

/** The header of an entry, or undefined when it has none that parses. */
function entryHeader(bytes: Uint8Array): EntryHeader | undefined {
  const nl = bytes.indexOf(10);
  if (nl === -1 || nl > 64 * 1024 * 1024) return undefined;
  try {
    const header = JSON.parse(decoder.decode(bytes.subarray(0, nl)));
    if (typeof header !== "object" || header === null) return undefined;
    if (typeof header.hash !== "string") return undefined;
    return header as EntryHeader;
  } catch {
    return undefined;
  }
}
