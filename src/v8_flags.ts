/**
 * The V8 flags every Deno that runs rlm's ops needs: V8's linear-time regex engine, which
 * `grep` and the other regex ops rely on (docs/explanation/regex.md). Deno reads V8 flags only
 * from its command line, so each place that starts Deno spells them: deno.json's tasks,
 * nix/checks.nix, the Nix op builders (`src/exec/nix/_deno_builder.ts`) and the flake's wrapper
 * (which copies deno.json's `rlm` task). `v8_flags_test.ts` checks that they all spell this.
 *
 * @module
 */

/** The flags, comma-separated, as `--v8-flags=` takes them. */
export const V8_FLAGS =
  "--enable-experimental-regexp-engine,--enable-experimental-regexp-engine-on-excessive-backtracks";

/** The Deno command-line argument that sets them. */
export const V8_FLAGS_ARG = `--v8-flags=${V8_FLAGS}`;
