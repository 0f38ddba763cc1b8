/**
 * `rlm cache gc`: trim the file store.
 *
 * Always removes temp files left by writers that died (older than an hour, so a live writer is
 * never disturbed), entries that fail verification (corrupt, or stored under another key than
 * their path's), and junk where entries belong (folders, FIFOs, symlinks: unlinked, never
 * followed). With `olderThanDays`, removes entries
 * not used (read or written) for that long; with `maxBytes`, then removes the least recently
 * used entries until the store fits.
 *
 * @module
 */
import { type EntryFile, entryFiles, removeJunk } from "./_entries.ts";
import { decodeEntry } from "./file_store.ts";
import { gcNixIndex } from "./nix_index_maintenance.ts";

/** What gc may remove besides leftovers and corrupt entries. */
export interface GcOptions {
  /** Remove entries unused for this many days. */
  olderThanDays?: number;
  /** Then remove least recently used entries until the store is at most this many bytes. */
  maxBytes?: number;
  /** The current time (for tests); default now. */
  nowMs?: number;
}

/** What gc removed and what is left. */
export interface GcReport {
  removedEntries: number;
  removedBytes: number;
  removedTemp: number;
  removedCorrupt: number;
  /** Junk where entries belong: folders, FIFOs, symlinks. */
  removedJunk: number;
  /** Nix index entries (and roots) dropped: stale, or unused for `olderThanDays`. */
  removedNixEntries: number;
  keptEntries: number;
  keptBytes: number;
}

const HOUR = 3600_000;

/** Collect garbage in the store in `dir`. */
export async function gcCache(dir: string, options: GcOptions = {}): Promise<GcReport> {
  const now = options.nowMs ?? Date.now();
  const report: GcReport = {
    removedEntries: 0,
    removedBytes: 0,
    removedTemp: 0,
    removedCorrupt: 0,
    removedJunk: 0,
    removedNixEntries: 0,
    keptEntries: 0,
    keptBytes: 0,
  };
  const kept: EntryFile[] = [];
  for await (const e of entryFiles(dir)) {
    if (await keeps(e, now, options, report)) kept.push(e);
  }
  if (options.maxBytes !== undefined) await trimTo(kept, options.maxBytes, report);
  report.removedNixEntries = await gcNixIndex(dir, {
    olderThanDays: options.olderThanDays,
    nowMs: now,
  });
  report.keptEntries = kept.length;
  report.keptBytes = kept.reduce((n, e) => n + e.bytes, 0);
  return report;
}

/** Remove `e` if it is junk, an old temp file, corrupt or unused too long (counted in `report`). */
async function keeps(
  e: EntryFile,
  now: number,
  options: GcOptions,
  report: GcReport,
): Promise<boolean> {
  if (e.kind === "junk") {
    await removeJunk(e.path);
    report.removedJunk++;
    return false;
  }
  if (e.kind === "temp") {
    if (now - e.usedMs > HOUR) {
      await Deno.remove(e.path).catch(() => {});
      report.removedTemp++;
    }
    return false;
  }
  if (!(await verifies(e))) {
    await Deno.remove(e.path).catch(() => {});
    report.removedCorrupt++;
    return false;
  }
  if (options.olderThanDays !== undefined && now - e.usedMs > options.olderThanDays * 24 * HOUR) {
    await removeEntry(e, report);
    return false;
  }
  return true;
}

/** Remove the least recently used of `kept` (in place) until they add up to at most `maxBytes`. */
async function trimTo(kept: EntryFile[], maxBytes: number, report: GcReport): Promise<void> {
  kept.sort((a, b) => a.usedMs - b.usedMs);
  let total = kept.reduce((n, e) => n + e.bytes, 0);
  while (total > maxBytes && kept.length > 0) {
    const e = kept.shift() as EntryFile;
    await removeEntry(e, report);
    total -= e.bytes;
  }
}

async function removeEntry(e: EntryFile, report: GcReport): Promise<void> {
  await Deno.remove(e.path).catch(() => {});
  report.removedEntries++;
  report.removedBytes += e.bytes;
}

/** Whether the entry file reads back as the value stored under its own path's key. */
async function verifies(e: EntryFile): Promise<boolean> {
  const bytes = await Deno.readFile(e.path).catch(() => undefined);
  return bytes !== undefined && decodeEntry(bytes, { ns: e.ns, key: e.name }) !== undefined;
}
