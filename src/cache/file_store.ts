/**
 * The content-addressed store on the file system (SPEC §3.5): one file per entry under
 * `<dir>/v1/<namespace>/<2 hex>/<key>`.
 *
 * An entry is a one-line JSON header (`kind`, `hash` of the value, byte `lengths` of the items)
 * followed by the raw UTF-8 payload, so a 100 MB text is stored and read without JSON escaping.
 * Writes go to a temp file in the same folder and are renamed into place (atomic, safe with
 * concurrent writers: the last rename wins and both wrote the same content). Every read is
 * checked against the header's hash; a corrupt or truncated entry is deleted and reads as a miss.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Value } from "../protocol/value.ts";
import { hashTextBytes, hashValue, LIST_HASH_PREFIX } from "./hash.ts";
import type { ResultStore, StoreNamespace } from "./store.ts";

/** Layout version of entries; part of the path so a new layout never reads an old one. */
export const FILE_STORE_LAYOUT = "v1";

interface Header {
  kind: "text" | "list";
  hash: string;
  lengths?: number[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A `ResultStore` in a directory. */
export class FileStore implements ResultStore {
  /** The cache directory (the parent of `v1/`). */
  readonly location: string;

  constructor(dir: string) {
    this.location = dir;
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
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    const value = decodeEntry(bytes);
    if (value === undefined) {
      await Deno.remove(path).catch(() => {});
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
    await Deno.mkdir(folder, { recursive: true });
    const tmp = `${folder}/.tmp-${crypto.randomUUID()}`;
    try {
      await Deno.writeFile(tmp, encodeEntry(value));
      await Deno.rename(tmp, path);
    } catch (error) {
      await Deno.remove(tmp).catch(() => {});
      throw error;
    }
  }
}

/**
 * Open (creating it if needed) the store in `dir`.
 *
 * @example
 * ```ts
 * const store = await openFileStore(resolveCacheDir());
 * await store.put("op", key, ["a", "b"]);
 * ```
 */
export async function openFileStore(dir: string): Promise<FileStore> {
  try {
    await Deno.mkdir(`${dir}/${FILE_STORE_LAYOUT}`, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot use cache directory "${dir}": ${reason} (set --cache-dir or RLM_CACHE_DIR)`,
    );
  }
  return new FileStore(dir);
}

/** Serialize a value: header line, then payload. */
export function encodeEntry(value: Value): Uint8Array {
  const items = typeof value === "string" ? [value] : value;
  const payloads = items.map((s) => encoder.encode(s));
  const header: Header = typeof value === "string"
    ? { kind: "text", hash: hashValue(value) }
    : { kind: "list", hash: hashValue(value), lengths: payloads.map((p) => p.length) };
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

/** Parse and verify an entry; `undefined` if it is corrupt or truncated. */
export function decodeEntry(bytes: Uint8Array): Value | undefined {
  const nl = bytes.indexOf(10);
  if (nl === -1) return undefined;
  let header: Header;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(0, nl)));
  } catch {
    return undefined;
  }
  const payload = bytes.subarray(nl + 1);
  if (header.kind === "text") {
    if (hashTextBytes(payload) !== header.hash) return undefined;
    return decoder.decode(payload);
  }
  if (header.kind !== "list" || !Array.isArray(header.lengths)) return undefined;
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
