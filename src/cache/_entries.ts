/**
 * Walk the entries of a file store, for stats and garbage collection.
 *
 * @module
 */
import { FILE_STORE_LAYOUT } from "./file_store.ts";

/** One file under `<dir>/v1/<ns>/`. */
export interface EntryFile {
  path: string;
  ns: string;
  /** A temp file left by a writer that died before its rename. */
  temp: boolean;
  bytes: number;
  /** Last use (reads refresh it) in ms since the epoch. */
  usedMs: number;
}

/** Every entry file of the store in `dir` (none if the store does not exist). */
export async function* entryFiles(dir: string): AsyncGenerator<EntryFile> {
  const root = `${dir}/${FILE_STORE_LAYOUT}`;
  for await (const ns of readDirOrEmpty(root)) {
    if (!ns.isDirectory) continue;
    for await (const shard of readDirOrEmpty(`${root}/${ns.name}`)) {
      if (!shard.isDirectory) continue;
      for await (const file of readDirOrEmpty(`${root}/${ns.name}/${shard.name}`)) {
        if (!file.isFile) continue;
        const path = `${root}/${ns.name}/${shard.name}/${file.name}`;
        const info = await Deno.stat(path).catch(() => undefined);
        if (info === undefined) continue;
        yield {
          path,
          ns: ns.name,
          temp: file.name.startsWith(".tmp-"),
          bytes: info.size,
          usedMs: info.mtime?.getTime() ?? 0,
        };
      }
    }
  }
}

async function* readDirOrEmpty(path: string): AsyncGenerator<Deno.DirEntry> {
  try {
    yield* Deno.readDir(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
