/**
 * `rlm cache clear`: remove every entry of the file store.
 *
 * @module
 */
import { type CacheStats, cacheStats } from "./cache_stats.ts";
import { FILE_STORE_LAYOUT } from "./file_store.ts";
import { clearNixIndex } from "./nix_index_maintenance.ts";

/**
 * Remove the store in `dir` (only rlm's own `v1/` folder, and the Nix index); returns what it held.
 * Nothing outside `dir` is touched, whatever symlinks the folder holds.
 */
export async function clearCache(dir: string): Promise<CacheStats> {
  const before = await cacheStats(dir);
  const root = `${dir}/${FILE_STORE_LAYOUT}`;
  const info = await Deno.lstat(root).catch(() => undefined);
  // A symlink is unlinked, never followed; symlinks inside the folder are unlinked too.
  if (info !== undefined) {
    await Deno.remove(root, { recursive: info.isDirectory && !info.isSymlink });
  }
  await clearNixIndex(dir);
  return before;
}
