/**
 * The Nix executor's part of a cache dir (docs/explanation/nix-executor.md), and the one module
 * that spells its layout. `<cache dir>/nix` holds:
 *
 * - `index/<namespace>/<first 2 hex>/<key>`: a file holding the store path of the result stored
 *   under `key` (namespaces `op` and `llm`), or of an input value added under its hash (`value`);
 * - `roots/<namespace>/<key>`: the GC root of a stored result (`nix-store --add-root`);
 * - `store-listed`: the marker of a cache dir that looked through the store once;
 * - the Nix executor's memo files (the store paths of Deno and the builder bundles).
 *
 * The Nix executor, its result store, `rlm cache pull` and `rlm cache stats/clear/gc` all go
 * through it. Plain files: reading and writing the index needs no Nix.
 *
 * @module
 */
import type { StoreNamespace } from "./store.ts";

/** The Nix store's folder. */
export const NIX_STORE_DIR = "/nix/store";

/** A namespace of the index: stored results (`op`, `llm`) and added input values (`value`). */
export type NixIndexNamespace = StoreNamespace | "value";

/** Where an index entry is: its namespace and key. */
export interface NixIndexAddress {
  ns: string;
  key: string;
}

/** The name a stored result has in the store (after the hash): `rlm-<namespace>-<key>`. */
export function resultName(ns: StoreNamespace, key: string): string {
  return `rlm-${ns}-${key}`;
}

const RESULT_NAME = /^rlm-(llm|op)-([0-9a-f]{64})$/;

/**
 * The namespace and key a stored result's store path is named after; `undefined` for any other
 * path (a derivation output such as `rlm-op-grep-<tag>`, another package).
 */
export function resultAddress(storePath: string): { ns: StoreNamespace; key: string } | undefined {
  if (!storePath.startsWith(`${NIX_STORE_DIR}/`)) return undefined;
  const m = RESULT_NAME.exec(storePath.slice(NIX_STORE_DIR.length + 34));
  return m ? { ns: m[1] as StoreNamespace, key: m[2] } : undefined;
}

/**
 * The index and roots under `<cacheDir>/nix`: cache key → store path, so a hit needs no Nix call.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const cacheDir = await Deno.makeTempDir();
 * const index = new NixIndex(cacheDir);
 * await index.write("value", "ab".repeat(32), cacheDir); // any existing path stands in here
 * assertEquals(await index.read("value", "ab".repeat(32)), cacheDir);
 * assertEquals(await index.read("value", "cd".repeat(32)), undefined);
 * await Deno.remove(cacheDir, { recursive: true });
 * ```
 */
export class NixIndex {
  /** `<cacheDir>/nix`: the Nix executor's folder. */
  readonly dir: string;
  /** The index: `<dir>/index`. */
  readonly indexDir: string;
  /** The GC roots: `<dir>/roots`. */
  readonly rootsDir: string;
  /** The marker of a cache dir that listed the store once (see `NixResultStore`). */
  readonly listedMarker: string;

  /** The index of the cache dir `cacheDir`; nothing is created before the first write. */
  constructor(cacheDir: string) {
    this.dir = `${cacheDir}/nix`;
    this.indexDir = `${this.dir}/index`;
    this.rootsDir = `${this.dir}/roots`;
    this.listedMarker = `${this.dir}/store-listed`;
  }

  /** The index entry's file for `key` in `ns`. */
  entryPath(ns: NixIndexNamespace, key: string): string {
    return `${this.indexDir}/${ns}/${key.slice(0, 2)}/${key}`;
  }

  /** The namespace and key of the index file at `path` (a path under `indexDir`). */
  addressOf(path: string): NixIndexAddress {
    const [ns, , key] = path.slice(`${this.indexDir}/`.length).split("/");
    return { ns, key: key ?? "" };
  }

  /** The folder of the GC roots of `ns`. */
  rootFolder(ns: string): string {
    return `${this.rootsDir}/${ns}`;
  }

  /** The GC root of the result stored under `key` in `ns`. */
  rootPath(ns: string, key: string): string {
    return `${this.rootFolder(ns)}/${key}`;
  }

  /**
   * The store path recorded for `key`, if it is still in the store. A hit marks the entry used
   * (its modification time), for `rlm cache gc --older-than` (docs/how-to/cache.md). Anything
   * but a regular file where the entry belongs is a miss, never opened.
   */
  async read(ns: NixIndexNamespace, key: string): Promise<string | undefined> {
    const file = this.entryPath(ns, key);
    const info = await Deno.lstat(file).catch(() => undefined);
    if (!info?.isFile) return undefined;
    const path = (await Deno.readTextFile(file).catch(() => "")).trim();
    if (!path || !(await Deno.stat(path).then(() => true, () => false))) return undefined;
    const now = new Date();
    await Deno.utime(file, now, now).catch(() => {});
    return path;
  }

  /** Record `storePath` under `key` in `ns` (atomic: a temp file renamed into place). */
  async write(ns: NixIndexNamespace, key: string, storePath: string): Promise<void> {
    const file = this.entryPath(ns, key);
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    const tmp = `${file}.tmp-${crypto.randomUUID()}`;
    await Deno.writeTextFile(tmp, storePath);
    await Deno.rename(tmp, file);
  }
}
