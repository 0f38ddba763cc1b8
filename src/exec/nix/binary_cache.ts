/**
 * `rlm cache push DEST` / `rlm cache pull SRC`: copy rlm's results to and from a Nix binary
 * cache (`file://`, `s3://`, `ssh://`), so a team or CI shares them.
 *
 * What travels: op outputs (`rlm-op-*`: derivation outputs, found again by any machine that
 * instantiates the same op on the same input) and stored results (`rlm-llm-<key>`,
 * `rlm-op-<key>`: found by the key in their name). No index is needed on the other side.
 *
 * @module
 */
import { UsageError } from "../../protocol/errors.ts";
import { nix, tail } from "./_nix_cli.ts";
import { StoreIndex } from "./nix_executor.ts";
import { indexResults, NIX_STORE_DIR } from "./nix_result_store.ts";

/** Options of push. */
export interface PushOptions {
  /** A secret key file (`nix-store --generate-binary-cache-key`): sign what is pushed. */
  secretKey?: string;
}

/** Options of pull. */
export interface PullOptions {
  /** Public keys to trust; without one, signatures are not checked (say so to the user). */
  trustedKeys?: string[];
  /** A cache dir whose index should know the pulled results at once (see `NixResultStore`). */
  cacheDir?: string;
}

/** rlm's results in the local store: every path whose name starts with `rlm-op-` or `rlm-llm-`. */
export async function localResultPaths(): Promise<string[]> {
  const paths: string[] = [];
  for await (const e of Deno.readDir(NIX_STORE_DIR)) {
    const name = e.name.slice(33);
    if (/^rlm-(op|llm)-/.test(name) && !/\.(drv|lock)$/.test(e.name)) {
      paths.push(`${NIX_STORE_DIR}/${e.name}`);
    }
  }
  if (paths.length === 0) return paths;
  // Leave out paths a build is still writing (present on disk, not yet valid).
  const check = await nix("nix-store", ["--check-validity", "--print-invalid", ...paths]);
  const invalid = new Set(check.stdout.trim().split("\n").filter(Boolean));
  return paths.filter((p) => !invalid.has(p)).sort();
}

/** Copy every rlm result in the store to `dest`; returns how many paths. */
export async function pushResults(dest: string, options: PushOptions = {}): Promise<number> {
  checkUrl(dest);
  const paths = await localResultPaths();
  if (paths.length === 0) return 0;
  if (options.secretKey) {
    const sign = await nix("nix", ["store", "sign", "--key-file", options.secretKey, ...paths]);
    if (sign.code !== 0) {
      throw new Error(`Cannot sign the results with "${options.secretKey}": ${tail(sign.stderr)}`);
    }
  }
  const copy = await nix("nix", ["copy", "--to", dest, ...paths]);
  if (copy.code !== 0) throw new Error(`Cannot push to ${dest}: ${tail(copy.stderr)}`);
  return paths.length;
}

/** Copy every rlm result from `src` (a `file://` cache: its .narinfo files are listed). */
export async function pullResults(src: string, options: PullOptions = {}): Promise<number> {
  checkUrl(src);
  if (!src.startsWith("file://")) {
    throw new UsageError(
      `Pulling everything needs a cache that can be listed (file://); for ${
        src.split(":")[0]
      }://, let Nix substitute on demand: add it to the substituters (see docs/how-to/share-cache.md)`,
    );
  }
  const dir = new URL(src).pathname;
  const paths: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.endsWith(".narinfo")) continue;
      const info = await Deno.readTextFile(`${dir}/${e.name}`);
      const storePath = /^StorePath: (.+)$/m.exec(info)?.[1];
      if (storePath && /^rlm-(op|llm)-/.test(storePath.slice(NIX_STORE_DIR.length + 34))) {
        paths.push(storePath);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new UsageError(`No binary cache at ${src}`);
    throw error;
  }
  if (paths.length === 0) return 0;
  const trust = options.trustedKeys?.length
    ? ["--option", "trusted-public-keys", options.trustedKeys.join(" ")]
    : ["--no-check-sigs"];
  const copy = await nix("nix", ["copy", "--from", src, ...trust, ...paths]);
  if (copy.code !== 0) throw new Error(`Cannot pull from ${src}: ${tail(copy.stderr)}`);
  if (options.cacheDir) await indexResults(new StoreIndex(`${options.cacheDir}/nix`), paths);
  return paths.length;
}

function checkUrl(url: string): void {
  if (!/^(file|s3|ssh|ssh-ng|https?):\/\//.test(url)) {
    throw new UsageError(
      `Invalid binary cache "${url}": give a URL like file:///srv/rlm-cache, s3://bucket or ssh://host`,
    );
  }
}
