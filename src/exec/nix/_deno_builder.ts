/**
 * How a derivation runs a script with the Deno binary in the store: the attributes every op
 * derivation shares (and the benchmark's trivial-derivation floor, so the two stay comparable).
 *
 * @module
 */
import { nixString } from "./_nix_cli.ts";
import { V8_FLAGS as FLAGS } from "../../v8_flags.ts";

/** The V8 flags every op needs (grep's linear-time regexes), as for the CLI. */
export const V8_FLAGS = FLAGS;

/**
 * Nix attributes (`builder`, `args`, `DENO_DIR`) that run `script` with `deno`; both are Nix
 * expressions (store paths). Every build is a fresh Deno with nothing to reuse, so:
 * `--no-config` (no deno.json lookup), `--no-code-cache` (a code cache would be written and
 * thrown away), and `DENO_DIR` on the sandbox's private tmpfs, `/dev/shm`: Deno creates a few
 * SQLite caches there at start, which on the build dir's disk cost ~4 ms of CPU per build
 * (measured, 100 builds).
 */
export function denoBuilderAttrs(deno: string, script: string, v8Flags = V8_FLAGS): string {
  return `builder = ${deno};
    args = [ "run" ${
    nixString(`--v8-flags=${v8Flags}`)
  } "--no-prompt" "--no-config" "--no-code-cache" "--allow-read" "--allow-write" "--allow-env" ${script} ];
    DENO_DIR = "/dev/shm/deno";`;
}
