/**
 * Results kept in the Nix store (SPEC §5): with `--executor nix`, model responses (and `eval`
 * results) are added to the store as `rlm-<namespace>-<cache key>`, indexed in the cache dir and
 * rooted there, so `nix-collect-garbage` keeps them until `rlm cache gc` or `clear` drops the
 * roots. Because the key is in the store path's name, a second cache dir on the same store (or a
 * store filled by `rlm cache pull`) finds them too.
 *
 * @module
 */
import { decodeEntry, encodeEntry } from "../../cache/file_store.ts";
import type { ResultStore, StoreNamespace } from "../../cache/store.ts";
import type { Value } from "../../protocol/value.ts";
import { nix, tail } from "./_nix_cli.ts";
import { StoreIndex } from "./nix_executor.ts";

/** The Nix store's folder. */
export const NIX_STORE_DIR = "/nix/store";

/** A `ResultStore` in the Nix store, indexed and rooted under `<cacheDir>/nix`. */
export class NixResultStore implements ResultStore {
  readonly location: string;
  readonly #index: StoreIndex;
  readonly #roots: string;
  #byName?: Map<string, string>;

  constructor(cacheDir: string) {
    this.location = `${NIX_STORE_DIR} (index: ${cacheDir}/nix)`;
    this.#index = new StoreIndex(`${cacheDir}/nix`);
    this.#roots = `${cacheDir}/nix/roots`;
  }

  async get(ns: StoreNamespace, key: string): Promise<Value | undefined> {
    let path = await this.#index.read(ns, key);
    if (!path) {
      path = (await this.#names()).get(`rlm-${ns}-${key}`);
      if (!path || !(await Deno.stat(path).then(() => true, () => false))) return undefined;
      await this.#root(ns, key, path);
    }
    return decodeEntry(await Deno.readFile(path));
  }

  async put(ns: StoreNamespace, key: string, value: Value): Promise<void> {
    const dir = await Deno.makeTempDir({ prefix: "rlm-nix-put-" });
    try {
      const file = `${dir}/rlm-${ns}-${key}`;
      await Deno.writeFile(file, encodeEntry(value));
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
    await Deno.mkdir(`${this.#roots}/${ns}`, { recursive: true });
    const root = await nix("nix-store", [
      "--add-root",
      `${this.#roots}/${ns}/${key}`,
      "--indirect",
      "--realise",
      path,
    ]);
    if (root.code !== 0) {
      throw new Error(`Cannot root a result in the Nix store: ${tail(root.stderr)}`);
    }
    await this.#index.write(ns, key, path);
    this.#byName?.set(`rlm-${ns}-${key}`, path);
  }

  /** Store paths of rlm results by name, read once from the store's folder. */
  async #names(): Promise<Map<string, string>> {
    if (this.#byName) return this.#byName;
    const map = new Map<string, string>();
    for await (const e of Deno.readDir(NIX_STORE_DIR)) {
      const name = e.name.slice(33); // after "<32-char hash>-"
      if (name.startsWith("rlm-op-") || name.startsWith("rlm-llm-")) {
        map.set(name, `${NIX_STORE_DIR}/${e.name}`);
      }
    }
    return (this.#byName = map);
  }
}
