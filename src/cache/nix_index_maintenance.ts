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

async function* files(dir: string): AsyncGenerator<string> {
  try {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) yield* files(p);
      else yield p;
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Count the index and the roots; `undefined` when the Nix executor never ran with this dir. */
export async function nixIndexStats(dir: string): Promise<NixIndexStats | undefined> {
  if (!(await Deno.stat(`${dir}/nix`).then(() => true, () => false))) return undefined;
  const indexed: Record<string, number> = {};
  for await (const f of files(`${dir}/nix/index`)) {
    const ns = f.slice(`${dir}/nix/index/`.length).split("/")[0];
    indexed[ns] = (indexed[ns] ?? 0) + 1;
  }
  let rooted = 0;
  for await (const _ of files(`${dir}/nix/roots`)) rooted++;
  return { indexed, rooted };
}

/** Drop the index and the roots: the store paths become garbage for `nix-store --gc`. */
export async function clearNixIndex(dir: string): Promise<void> {
  for (const part of ["index", "roots"]) {
    await Deno.remove(`${dir}/nix/${part}`, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}

/**
 * Drop index entries whose store path is gone, and (with `olderThanDays`) entries and roots not
 * used for that long. Returns how many entries were dropped.
 */
export async function gcNixIndex(
  dir: string,
  options: { olderThanDays?: number; nowMs?: number } = {},
): Promise<number> {
  const now = options.nowMs ?? Date.now();
  let dropped = 0;
  for await (const f of files(`${dir}/nix/index`)) {
    const target = (await Deno.readTextFile(f).catch(() => "")).trim();
    const info = await Deno.stat(f);
    const old = options.olderThanDays !== undefined &&
      now - (info.mtime?.getTime() ?? 0) > options.olderThanDays * 86_400_000;
    const gone = !target || !(await Deno.stat(target).then(() => true, () => false));
    if (!old && !gone) continue;
    await Deno.remove(f).catch(() => {});
    const [ns, , key] = f.slice(`${dir}/nix/index/`.length).split("/");
    await Deno.remove(`${dir}/nix/roots/${ns}/${key}`).catch(() => {});
    dropped++;
  }
  return dropped;
}
