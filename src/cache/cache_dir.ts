/**
 * Where the cache lives: `--cache-dir`, else `RLM_CACHE_DIR`, else `$XDG_CACHE_HOME/rlm`,
 * else `$HOME/.cache/rlm`.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";

/** The cache directory for a run; `flag` is `--cache-dir` if given. */
export function resolveCacheDir(flag?: string): string {
  if (flag !== undefined && flag !== "") return flag;
  const env = (name: string) => {
    const v = Deno.env.get(name);
    return v === undefined || v === "" ? undefined : v;
  };
  const explicit = env("RLM_CACHE_DIR");
  if (explicit) return explicit;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/rlm`;
  const home = env("HOME");
  if (home) return `${home}/.cache/rlm`;
  throw new UsageError(
    "Cannot find a cache directory: set --cache-dir, RLM_CACHE_DIR or HOME, or use --no-cache",
  );
}
