/**
 * `rlm cache stats`: what the file store holds.
 *
 * @module
 */
import { entryFiles } from "./_entries.ts";
import { type NixIndexStats, nixIndexStats } from "./nix_index_maintenance.ts";

/** Entries and bytes per namespace (`op`, `llm`), plus temp leftovers. */
export interface CacheStats {
  dir: string;
  namespaces: Record<string, { entries: number; bytes: number }>;
  entries: number;
  bytes: number;
  tempFiles: number;
  /** Things that are not entries where entries belong (folders, FIFOs, symlinks): `gc` removes them. */
  junk: number;
  /** The Nix executor's index and roots, if it ran with this dir. */
  nix?: NixIndexStats;
}

/** Count what the store in `dir` holds. */
export async function cacheStats(dir: string): Promise<CacheStats> {
  const stats: CacheStats = {
    dir,
    namespaces: {},
    entries: 0,
    bytes: 0,
    tempFiles: 0,
    junk: 0,
  };
  for await (const e of entryFiles(dir)) {
    if (e.kind !== "entry") {
      if (e.kind === "temp") stats.tempFiles++;
      else stats.junk++;
      continue;
    }
    const ns = (stats.namespaces[e.ns] ??= { entries: 0, bytes: 0 });
    ns.entries++;
    ns.bytes += e.bytes;
    stats.entries++;
    stats.bytes += e.bytes;
  }
  stats.nix = await nixIndexStats(dir);
  return stats;
}
