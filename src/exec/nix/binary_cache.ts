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
import { NIX_STORE_DIR, NixIndex } from "../../cache/nix_index.ts";
import { indexResults } from "./nix_result_store.ts";

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
async function localResultPaths(): Promise<string[]> {
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
  const unsigned: string[] = [];
  const keys = options.trustedKeys?.length ? await publicKeys(options.trustedKeys) : undefined;
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.endsWith(".narinfo")) continue;
      const info = await Deno.readTextFile(`${dir}/${e.name}`);
      const storePath = /^StorePath: (.+)$/m.exec(info)?.[1];
      if (storePath && /^rlm-(op|llm)-/.test(storePath.slice(NIX_STORE_DIR.length + 34))) {
        paths.push(storePath);
        if (keys && !(await signedByOneOf(info, keys))) unsigned.push(storePath);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new UsageError(`No binary cache at ${src}`);
    throw error;
  }
  // Nix itself takes a content-addressed path (as `nix-store --add` makes) without any
  // signature, and rlm finds results by name: so every result's signature is checked here.
  if (unsigned.length > 0) {
    throw new Error(
      `Cannot pull from ${src}: ${unsigned.length} of its ${paths.length} results have no valid signature by a trusted key (e.g. ${
        unsigned.sort()[0]
      }); pull only what the key you pass has signed`,
    );
  }
  if (paths.length === 0) return 0;
  const trust = keys
    ? [
      "--option",
      "require-sigs",
      "true",
      "--option",
      "trusted-public-keys",
      options.trustedKeys!.join(" "),
    ]
    : ["--no-check-sigs"];
  const copy = await nix("nix", ["copy", "--from", src, ...trust, ...paths]);
  if (copy.code !== 0) throw new Error(`Cannot pull from ${src}: ${tail(copy.stderr)}`);
  if (options.cacheDir) await indexResults(new NixIndex(options.cacheDir), paths);
  return paths.length;
}

function checkUrl(url: string): void {
  if (!/^(file|s3|ssh|ssh-ng|https?):\/\//.test(url)) {
    throw new UsageError(
      `Invalid binary cache "${url}": give a URL like file:///srv/rlm-cache, s3://bucket or ssh://host`,
    );
  }
}

/** A Nix public key (`name:base64 of 32 bytes`), imported for Ed25519 verification. */
interface PublicKey {
  name: string;
  key: CryptoKey;
}

async function publicKeys(texts: string[]): Promise<PublicKey[]> {
  return await Promise.all(texts.map(async (text) => {
    const m = /^([^:\s]+):([A-Za-z0-9+/]{43}=)$/.exec(text.trim());
    const bytes = m ? Uint8Array.from(atob(m[2]), (c) => c.charCodeAt(0)) : undefined;
    if (!m || bytes?.length !== 32) {
      throw new UsageError(
        `Invalid --trusted-key "${text}": give a public key like cache-1:<44 base64 characters> (nix-store --generate-binary-cache-key writes one)`,
      );
    }
    const key = await crypto.subtle.importKey("raw", bytes, { name: "Ed25519" }, false, [
      "verify",
    ]);
    return { name: m[1], key };
  }));
}

/**
 * Whether a .narinfo carries a valid signature by one of `keys`: an Ed25519 signature of Nix's
 * fingerprint `1;<store path>;<nar hash>;<nar size>;<references, full paths, comma-separated>`.
 */
async function signedByOneOf(info: string, keys: PublicKey[]): Promise<boolean> {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(info)?.[1]?.trim();
  const refs = (field("References") ?? "").split(" ").filter(Boolean).sort();
  const fingerprint = `1;${field("StorePath")};${field("NarHash")};${field("NarSize")};${
    refs.map((r) => `${NIX_STORE_DIR}/${r}`).join(",")
  }`;
  for (const line of info.matchAll(/^Sig: ([^:\s]+):(\S+)$/gm)) {
    const key = keys.find((k) => k.name === line[1]);
    if (!key) continue;
    const sig = Uint8Array.from(atob(line[2]), (c) => c.charCodeAt(0));
    const data = new TextEncoder().encode(fingerprint);
    if (await crypto.subtle.verify({ name: "Ed25519" }, key.key, sig, data)) return true;
  }
  return false;
}
