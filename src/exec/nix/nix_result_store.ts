/**
 * Results kept in the Nix store (docs/explanation/nix-executor.md): with `--executor nix`, model responses (and `eval`
 * results) are added to the store as `rlm-<namespace>-<cache key>`, indexed in the cache dir and
 * rooted there, so `nix-collect-garbage` keeps them until `rlm cache gc` or `clear` drops the
 * roots. Because the key is in the store path's name, a second cache dir on the same store (or a
 * store filled by `rlm cache pull`) finds them too.
 *
 * @module
 */
import { decodeEntry, encodeEntry } from "../../cache/file_store.ts";
import { NIX_STORE_DIR, NixIndex, resultAddress, resultName } from "../../cache/nix_index.ts";
import type { ResultStore, StoreNamespace } from "../../cache/store.ts";
import type { Value } from "../../protocol/value.ts";
import { nix, tail } from "./_nix_cli.ts";

/** A `ResultStore` in the Nix store, indexed and rooted under `<cacheDir>/nix`. */
export class NixResultStore implements ResultStore {
  readonly location: string;
  readonly #index: NixIndex;
  #byName?: Map<string, string>;
  #warned = false;

  /** The store whose index and roots are in `cacheDir` (see `NixIndex`). */
  constructor(cacheDir: string) {
    this.#index = new NixIndex(cacheDir);
    this.location = `${NIX_STORE_DIR} (index: ${this.#index.dir})`;
  }

  async get(ns: StoreNamespace, key: string): Promise<Value | undefined> {
    let path = await this.#index.read(ns, key);
    if (!path) {
      path = (await this.#names()).get(resultName(ns, key));
      if (!path || !(await Deno.stat(path).then(() => true, () => false))) return undefined;
      await this.#root(ns, key, path);
    }
    // An index entry pointing at another key's result (copied, pulled) is a miss: the store path
    // is named after its key, and the entry records it.
    if (!path.endsWith(`-${resultName(ns, key)}`)) return undefined;
    const info = await Deno.lstat(path).catch(() => undefined);
    if (!info?.isFile) return undefined;
    return decodeEntry(await Deno.readFile(path), { ns, key });
  }

  /**
   * Store `value`. A result that cannot be stored (a full disk, a read-only cache dir) is a
   * warning on stderr, once per store, and the run goes on without it.
   */
  async put(ns: StoreNamespace, key: string, value: Value): Promise<void> {
    try {
      await this.#put(ns, key, value);
    } catch (error) {
      if (this.#warned) return;
      this.#warned = true;
      const reason = error instanceof Error ? error.message : String(error);
      console.error(
        `rlm: warning: cannot store a result in ${this.location} (${reason.split("\n")[0]}); ` +
          "going on without storing results",
      );
    }
  }

  async #put(ns: StoreNamespace, key: string, value: Value): Promise<void> {
    const dir = await Deno.makeTempDir({ prefix: "rlm-nix-put-" });
    try {
      const file = `${dir}/${resultName(ns, key)}`;
      await Deno.writeFile(file, encodeEntry(value, { ns, key }));
      const add = await nix("nix-store", ["--add", file]);
      if (add.code !== 0) {
        throw new Error(`Cannot add a result to the Nix store: ${tail(add.stderr)}`);
      }
      await this.#root(ns, key, add.stdout.trim());
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }

  async #root(ns: StoreNamespace, key: string, path: string): Promise<void> {
    await Deno.mkdir(this.#index.rootFolder(ns), { recursive: true });
    const root = await nix("nix-store", [
      "--add-root",
      this.#index.rootPath(ns, key),
      "--indirect",
      "--realise",
      path,
    ]);
    if (root.code !== 0) {
      throw new Error(`Cannot root a result in the Nix store: ${tail(root.stderr)}`);
    }
    await this.#index.write(ns, key, path);
    this.#byName?.set(resultName(ns, key), path);
  }

  /**
   * Store paths of rlm results by name, for results this cache dir has no index entry for (made
   * under another cache dir, or pulled). Listing the store costs time in proportion to its size
   * (~0.1-0.2 s for 50 000 paths), so a cache dir does it once, on its first miss: it indexes
   * every result it finds and leaves a marker. Later misses are real misses; `rlm cache pull`
   * indexes what it brings in the cache dir it is given.
   */
  async #names(): Promise<Map<string, string>> {
    if (this.#byName) return this.#byName;
    const marker = this.#index.listedMarker;
    if (await Deno.stat(marker).then(() => true, () => false)) return (this.#byName = new Map());
    const map = new Map<string, string>();
    for (const path of listResultPaths()) map.set(path.slice(NIX_STORE_DIR.length + 34), path);
    await indexResults(this.#index, map.values());
    await Deno.writeTextFile(marker, new Date().toISOString());
    return (this.#byName = map);
  }
}

/** Store paths of stored results (`rlm-llm-<key>`, `rlm-op-<key>`) in the store's folder. */
function listResultPaths(): string[] {
  const paths: string[] = [];
  for (const e of Deno.readDirSync(NIX_STORE_DIR)) {
    const path = `${NIX_STORE_DIR}/${e.name}`;
    if (resultAddress(path) !== undefined) paths.push(path);
  }
  return paths;
}

/** Record stored results (by their store paths) in `index`, under the key in their names. */
export async function indexResults(index: NixIndex, paths: Iterable<string>): Promise<number> {
  let n = 0;
  for (const path of paths) {
    const at = resultAddress(path);
    if (at === undefined) continue;
    await index.write(at.ns, at.key, path);
    n++;
  }
  return n;
}
