/**
 * Write a trace atomically (temp file + rename), creating its folder.
 *
 * @module
 */
import type { Trace } from "../protocol/trace.ts";

/** The default trace path: `traces/<time>.json`. */
export function defaultTracePath(now = new Date()): string {
  return `traces/${now.toISOString().replace(/[:.]/g, "-")}.json`;
}

/** Write `trace` to `path`; the file is either the old one or the whole new one, never half. */
export async function writeTrace(path: string, trace: Trace): Promise<void> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(trace, null, 1));
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}
