/**
 * The Nix executor's part of the cache dir (`<dir>/nix`): its index (cache key → store path) and
 * GC roots. Plain files, so stats, clear and gc need no Nix.
 *
 * @module
 */

/** What the Nix part of a cache dir holds. */
export interface NixIndexStats {
  /** Index entries per kind (`op`, `llm`, `value`). */
  indexed: Record<string, number>;
  /** Results protected from `nix-collect-garbage`. */
  rooted: number;
}

/** Whether each of `parts` below `dir` is a real folder (none is a symlink, which may lead out). */
async function realFolders(dir: string, parts: string[]): Promise<boolean> {
  let path = dir;
  for (const part of parts) {
    path = `${path}/${part}`;
    const info = await Deno.lstat(path).catch(() => undefined);
    if (!info?.isDirectory || info.isSymlink) return false;
  }
  return true;
}

/**
 * Everything that is not a folder under `<dir>/nix/<part>`; `regular` says whether it is a plain
 * file. Nothing when `nix` or `part` is not a real folder (a symlink is never walked through).
 */
async function* files(
  dir: string,
  part: string,
): AsyncGenerator<{ path: string; regular: boolean }> {
  if (!(await realFolders(dir, ["nix", part]))) return;
  // A walk without recursion, never following a symlink (a symlinked folder is not entered).
  const folders = [`${dir}/nix/${part}`];
  while (folders.length > 0) {
    const folder = folders.pop() as string;
    try {
      for await (const e of Deno.readDir(folder)) {
        const path = `${folder}/${e.name}`;
        if (e.isDirectory) folders.push(path);
        else yield { path, regular: e.isFile };
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

/** Whether `target` (an index entry's content) can be the store path of `key` in `ns`. */
function plausibleTarget(ns: string, key: string, target: string): boolean {
  const m = /^\/nix\/store\/[0-9a-z]{32}-([A-Za-z0-9+._?=-]+)$/.exec(target);
  if (!m) return false;
  // Model responses (and eval results) are named after their key (see NixResultStore).
  return ns !== "llm" || m[1] === `rlm-llm-${key}`;
}

/** Count the index and the roots; `undefined` when the Nix executor never ran with this dir. */
export async function nixIndexStats(dir: string): Promise<NixIndexStats | undefined> {
  if (!(await realFolders(dir, ["nix"]))) return undefined;
  const indexed: Record<string, number> = {};
  for await (const f of files(dir, "index")) {
    if (!f.regular) continue;
    const ns = f.path.slice(`${dir}/nix/index/`.length).split("/")[0];
    indexed[ns] = (indexed[ns] ?? 0) + 1;
  }
  let rooted = 0;
  for await (const _ of files(dir, "roots")) rooted++; // roots are symlinks
  return { indexed, rooted };
}

/** Drop the index and the roots: the store paths become garbage for `nix-store --gc`. */
export async function clearNixIndex(dir: string): Promise<void> {
  const nix = await Deno.lstat(`${dir}/nix`).catch(() => undefined);
  if (nix === undefined) return;
  if (!nix.isDirectory || nix.isSymlink) return await Deno.remove(`${dir}/nix`); // unlinked only
  for (const part of ["index", "roots"]) {
    const path = `${dir}/nix/${part}`;
    const info = await Deno.lstat(path).catch(() => undefined);
    if (info === undefined) continue;
    // A symlink is unlinked, never followed; a folder goes with its contents.
    await Deno.remove(path, { recursive: info.isDirectory && !info.isSymlink });
  }
}

/**
 * Drop index entries whose store path is gone or cannot be theirs (not a store path, or a model
 * response named after another key), anything in the index that is not a plain file (unlinked,
 * never followed or opened), and (with `olderThanDays`) entries and roots not used for that long.
 * Returns how many entries were dropped.
 */
export async function gcNixIndex(
  dir: string,
  options: { olderThanDays?: number; nowMs?: number } = {},
): Promise<number> {
  const now = options.nowMs ?? Date.now();
  let dropped = 0;
  for await (const { path: f, regular } of files(dir, "index")) {
    const [ns, , key] = f.slice(`${dir}/nix/index/`.length).split("/");
    const info = await Deno.lstat(f).catch(() => undefined);
    const target = regular && info?.isFile
      ? (await Deno.readTextFile(f).catch(() => "")).trim()
      : "";
    const old = options.olderThanDays !== undefined &&
      now - (info?.mtime?.getTime() ?? 0) > options.olderThanDays * 86_400_000;
    const gone = !plausibleTarget(ns, key ?? "", target) ||
      !(await Deno.stat(target).then(() => true, () => false));
    if (!old && !gone) continue;
    await Deno.remove(f).catch(() => {});
    if (await realFolders(dir, ["nix", "roots", ns])) {
      await Deno.remove(`${dir}/nix/roots/${ns}/${key}`).catch(() => {});
    }
    dropped++;
  }
  return dropped;
}
