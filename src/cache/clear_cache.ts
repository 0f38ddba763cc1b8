/**
 * `rlm cache clear`: remove every entry of the file store.
 *
 * @module
 */
import { type CacheStats, cacheStats } from "./cache_stats.ts";
import { FILE_STORE_LAYOUT } from "./file_store.ts";
import { clearNixIndex } from "./nix_index_maintenance.ts";

/** Remove the store in `dir` (only rlm's own `v1/` folder); returns what it held. */
export async function clearCache(dir: string): Promise<CacheStats> {
  const before = await cacheStats(dir);
  await Deno.remove(`${dir}/${FILE_STORE_LAYOUT}`, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await clearNixIndex(dir);
  return before;
}
