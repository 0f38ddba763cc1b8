/**
 * Walk the entries of a file store, for stats and garbage collection. The walk never follows a
 * symlink and never opens anything: what sits where an entry or a folder of entries should be
 * and is not one (a symlink, a FIFO, a folder in place of an entry) is reported as `junk`.
 *
 * @module
 */
import { FILE_STORE_LAYOUT } from "./file_store.ts";

/** One thing under `<dir>/v1/<ns>/<shard>/`, or misplaced above that. */
export interface EntryFile {
  path: string;
  ns: string;
  /** The file name: the entry's key, for an entry. */
  name: string;
  /** `entry` a regular file; `temp` one left by a writer that died before its rename; `junk` anything else. */
  kind: "entry" | "temp" | "junk";
  bytes: number;
  /** Last use (reads refresh it) in ms since the epoch. */
  usedMs: number;
}

/** Every entry file of the store in `dir` (none if the store does not exist). */
export async function* entryFiles(dir: string): AsyncGenerator<EntryFile> {
  const root = `${dir}/${FILE_STORE_LAYOUT}`;
  const top = await Deno.lstat(root).catch(() => undefined);
  if (top === undefined || !top.isDirectory) return;
  for await (const ns of readDirOrEmpty(root)) {
    const nsPath = `${root}/${ns.name}`;
    if (!ns.isDirectory) {
      const found = await describe(nsPath, ns.name, ns.name, "junk");
      if (found.bytes >= 0) yield found;
      continue;
    }
    for await (const shard of readDirOrEmpty(nsPath)) {
      const shardPath = `${nsPath}/${shard.name}`;
      if (!shard.isDirectory) {
        const found = await describe(shardPath, ns.name, shard.name, "junk");
        if (found.bytes >= 0) yield found;
        continue;
      }
      for await (const file of readDirOrEmpty(shardPath)) {
        const kind = !file.isFile ? "junk" : file.name.startsWith(".tmp-") ? "temp" : "entry";
        const found = await describe(`${shardPath}/${file.name}`, ns.name, file.name, kind);
        if (found.bytes >= 0) yield found;
      }
    }
  }
}

async function describe(
  path: string,
  ns: string,
  name: string,
  kind: EntryFile["kind"],
): Promise<EntryFile> {
  const info = await Deno.lstat(path).catch(() => undefined);
  // Gone since the listing (another gc, a writer's rename): bytes -1, skipped.
  if (info === undefined) return { path, ns, name, kind, bytes: -1, usedMs: 0 };
  const real = kind === "junk" || info.isFile ? kind : "junk";
  return {
    path,
    ns,
    name,
    kind: real,
    bytes: info.isFile ? info.size : 0,
    usedMs: info.mtime?.getTime() ?? 0,
  };
}

/**
 * Remove a junk path inside the cache: a symlink is unlinked (what it points to is never touched),
 * a folder is removed with its contents (symlinks in it are unlinked, not followed).
 */
export async function removeJunk(path: string): Promise<void> {
  const info = await Deno.lstat(path).catch(() => undefined);
  if (info === undefined) return;
  await Deno.remove(path, { recursive: info.isDirectory && !info.isSymlink }).catch(() => {});
}

async function* readDirOrEmpty(path: string): AsyncGenerator<Deno.DirEntry> {
  try {
    yield* Deno.readDir(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
