/**
 * `rlm cache stats/clear/gc` for the Nix executor's part of the cache dir (its layout:
 * `nix_index.ts`): count, drop and trim the index and the GC roots. Plain files, so none of it
 * needs Nix; nothing is ever walked, opened or deleted through a symlink.
 *
 * @module
 */
import { NIX_STORE_DIR, NixIndex, resultName } from "./nix_index.ts";

/** What the Nix part of a cache dir holds. */
export interface NixIndexStats {
  /** Index entries per kind (`op`, `llm`, `value`). */
  indexed: Record<string, number>;
  /** Results protected from `nix-collect-garbage`. */
  rooted: number;
}

/** Whether each of `paths` is a real folder (none is a symlink, which may lead out). */
async function realFolders(...paths: string[]): Promise<boolean> {
  for (const path of paths) {
    const info = await Deno.lstat(path).catch(() => undefined);
    if (!info?.isDirectory || info.isSymlink) return false;
  }
  return true;
}

/**
 * Everything that is not a folder under `folder` (the index or the roots of `index`); `regular`
 * says whether it is a plain file. Nothing when `index.dir` or `folder` is not a real folder (a
 * symlink is never walked through).
 */
async function* files(
  index: NixIndex,
  folder: string,
): AsyncGenerator<{ path: string; regular: boolean }> {
  if (!(await realFolders(index.dir, folder))) return;
  // A walk without recursion, never following a symlink (a symlinked folder is not entered).
  const folders = [folder];
  while (folders.length > 0) {
    const next = folders.pop() as string;
    try {
      for await (const e of Deno.readDir(next)) {
        const path = `${next}/${e.name}`;
        if (e.isDirectory) folders.push(path);
        else yield { path, regular: e.isFile };
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

const STORE_PATH = new RegExp(`^${NIX_STORE_DIR}/[0-9a-z]{32}-([A-Za-z0-9+._?=-]+)$`);

/** Whether `target` (an index entry's content) can be the store path of `key` in `ns`. */
function plausibleTarget(ns: string, key: string, target: string): boolean {
  const m = STORE_PATH.exec(target);
  if (!m) return false;
  // Model responses (and eval results) are named after their key (see NixResultStore).
  return ns !== "llm" || m[1] === resultName("llm", key);
}

/** Count the index and the roots; `undefined` when the Nix executor never ran with this dir. */
export async function nixIndexStats(dir: string): Promise<NixIndexStats | undefined> {
  const index = new NixIndex(dir);
  if (!(await realFolders(index.dir))) return undefined;
  const indexed: Record<string, number> = {};
  for await (const f of files(index, index.indexDir)) {
    if (!f.regular) continue;
    const { ns } = index.addressOf(f.path);
    indexed[ns] = (indexed[ns] ?? 0) + 1;
  }
  let rooted = 0;
  for await (const _ of files(index, index.rootsDir)) rooted++; // roots are symlinks
  return { indexed, rooted };
}

/** Drop the index and the roots: the store paths become garbage for `nix-store --gc`. */
export async function clearNixIndex(dir: string): Promise<void> {
  const index = new NixIndex(dir);
  const nix = await Deno.lstat(index.dir).catch(() => undefined);
  if (nix === undefined) return;
  if (!nix.isDirectory || nix.isSymlink) return await Deno.remove(index.dir); // unlinked only
  for (const path of [index.indexDir, index.rootsDir]) {
    const info = await Deno.lstat(path).catch(() => undefined);
    if (info === undefined) continue;
    // A symlink is unlinked, never followed; a folder goes with its contents.
    await Deno.remove(path, { recursive: info.isDirectory && !info.isSymlink });
  }
}

/**
 * Drop index entries whose store path is gone or cannot be theirs (not a store path, or a model
 * response named after another key), anything in the index that is not a plain file (unlinked,
 * never followed or opened), and (with `olderThanDays`) entries not used (read or written) for
 * that long, with their roots. Returns how many entries were dropped.
 */
export async function gcNixIndex(
  dir: string,
  options: { olderThanDays?: number; nowMs?: number } = {},
): Promise<number> {
  const index = new NixIndex(dir);
  const now = options.nowMs ?? Date.now();
  let dropped = 0;
  for await (const { path: f, regular } of files(index, index.indexDir)) {
    const { ns, key } = index.addressOf(f);
    const info = await Deno.lstat(f).catch(() => undefined);
    const target = regular && info?.isFile
      ? (await Deno.readTextFile(f).catch(() => "")).trim()
      : "";
    const old = options.olderThanDays !== undefined &&
      now - (info?.mtime?.getTime() ?? 0) > options.olderThanDays * 86_400_000;
    const gone = !plausibleTarget(ns, key, target) ||
      !(await Deno.stat(target).then(() => true, () => false));
    if (!old && !gone) continue;
    await Deno.remove(f).catch(() => {});
    if (key !== "" && await realFolders(index.dir, index.rootsDir, index.rootFolder(ns))) {
      await Deno.remove(index.rootPath(ns, key)).catch(() => {});
    }
    dropped++;
  }
  return dropped;
}
