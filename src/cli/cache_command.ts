/**
 * `rlm cache stats | clear | gc`: inspect and trim the content-addressed cache.
 *
 * @module
 */
import { Command } from "commander";
import { resolveCacheDir } from "../cache/cache_dir.ts";
import { cacheStats } from "../cache/cache_stats.ts";
import { clearCache } from "../cache/clear_cache.ts";
import { gcCache } from "../cache/gc_cache.ts";
import { UsageError } from "../protocol/errors.ts";
import { pullResults, pushResults } from "../exec/nix/binary_cache.ts";
import { collect } from "./_flags.ts";

/** The `cache` command and its subcommands. */
export function cacheCommand(): Command {
  const cache = new Command("cache").description("inspect and trim the content-addressed cache");
  cache.command("stats")
    .description("entries and bytes in the cache, per kind (op results, model calls)")
    .option("--cache-dir <dir>", "cache location [RLM_CACHE_DIR] (default: $XDG_CACHE_HOME/rlm)")
    .option("--json", "print the numbers as JSON")
    .action(async (flags: { cacheDir?: string; json?: boolean }) => {
      const stats = await cacheStats(resolveCacheDir(flags.cacheDir));
      if (flags.json) return console.log(JSON.stringify(stats));
      console.log(`cache: ${stats.dir}`);
      for (const [ns, s] of Object.entries(stats.namespaces).sort()) {
        console.log(
          `  ${
            ns === "op" ? "op results " : ns === "llm" ? "model calls" : ns.padEnd(11)
          }  ${s.entries} entries, ${formatBytes(s.bytes)}`,
        );
      }
      console.log(`  total        ${stats.entries} entries, ${formatBytes(stats.bytes)}`);
      if (stats.tempFiles > 0) {
        console.log(`  ${stats.tempFiles} unfinished temp files (rlm cache gc removes them)`);
      }
      if (stats.junk > 0) {
        console.log(
          `  ${stats.junk} folders, FIFOs or symlinks where entries belong (rlm cache gc removes them)`,
        );
      }
      if (stats.nix) {
        const n = stats.nix.indexed;
        console.log(
          `  nix store    ${n.op ?? 0} op results, ${n.llm ?? 0} model calls, ${
            n.value ?? 0
          } values indexed; ${stats.nix.rooted} rooted`,
        );
      }
    });
  cache.command("clear")
    .description("remove every cache entry")
    .option("--cache-dir <dir>", "cache location [RLM_CACHE_DIR] (default: $XDG_CACHE_HOME/rlm)")
    .action(async (flags: { cacheDir?: string }) => {
      const dir = resolveCacheDir(flags.cacheDir);
      const removed = await clearCache(dir);
      console.log(`removed ${removed.entries} entries (${formatBytes(removed.bytes)}) from ${dir}`);
    });
  cache.command("gc")
    .description("remove unfinished writes and corrupt entries; optionally old or excess entries")
    .option("--cache-dir <dir>", "cache location [RLM_CACHE_DIR] (default: $XDG_CACHE_HOME/rlm)")
    .option("--older-than <days>", "also remove entries not used for DAYS days")
    .option(
      "--max-size <size>",
      "then remove least recently used entries until under SIZE (e.g. 500M, 2G)",
    )
    .action(async (flags: { cacheDir?: string; olderThan?: string; maxSize?: string }) => {
      const dir = resolveCacheDir(flags.cacheDir);
      const report = await gcCache(dir, {
        olderThanDays: flags.olderThan === undefined ? undefined : parseDays(flags.olderThan),
        maxBytes: flags.maxSize === undefined ? undefined : parseSize(flags.maxSize),
      });
      console.log(
        `removed ${report.removedEntries} entries (${formatBytes(report.removedBytes)}), ` +
          `${report.removedCorrupt} corrupt, ${report.removedTemp} unfinished, ${report.removedJunk} not entries, ` +
          `${report.removedNixEntries} nix index entries; ` +
          `kept ${report.keptEntries} entries (${formatBytes(report.keptBytes)}) in ${dir}`,
      );
    });
  cache.command("push")
    .description(
      "copy rlm's results in the Nix store to a Nix binary cache (file://, s3://, ssh://)",
    )
    .argument("<dest>", "binary cache URL, e.g. file:///srv/rlm-cache")
    .option(
      "--secret-key <file>",
      "sign the results with this key (nix-store --generate-binary-cache-key)",
    )
    .action(async (dest: string, flags: { secretKey?: string }) => {
      const n = await pushResults(dest, { secretKey: flags.secretKey });
      console.log(`pushed ${n} results to ${dest}`);
    });
  cache.command("pull")
    .description("copy rlm's results from a Nix binary cache into the Nix store (file://)")
    .argument("<src>", "binary cache URL, e.g. file:///srv/rlm-cache")
    .option(
      "--cache-dir <dir>",
      "index the pulled results in this cache [RLM_CACHE_DIR] (default: $XDG_CACHE_HOME/rlm)",
    )
    .option(
      "--trusted-key <key>",
      "accept only results signed by this public key; repeatable",
      collect,
    )
    .action(async (src: string, flags: { trustedKey?: string[]; cacheDir?: string }) => {
      const n = await pullResults(src, {
        trustedKeys: flags.trustedKey,
        cacheDir: resolveCacheDir(flags.cacheDir),
      });
      console.log(
        `pulled ${n} results from ${src}${
          flags.trustedKey ? "" : " (signatures not checked: pass --trusted-key to require them)"
        }`,
      );
    });
  return cache;
}

/** `--older-than`: a non-negative number of days. */
export function parseDays(text: string): number {
  const days = Number(text);
  if (text.trim() === "" || !Number.isFinite(days) || days < 0) {
    throw new UsageError(`Invalid --older-than "${text}": give a number of days, e.g. 30`);
  }
  return days;
}

/** `--max-size`: bytes, with an optional K, M, G or T suffix (powers of 1024). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(text.trim());
  if (!m) throw new UsageError(`Invalid --max-size "${text}": give a size like 500M or 2G`);
  const power = " KMGT".indexOf(m[2].toUpperCase() || " ");
  return Math.floor(Number(m[1]) * 1024 ** power);
}

function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) [n, i] = [n / 1024, i + 1];
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
