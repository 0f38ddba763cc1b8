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

/**
 * Write `trace` to `path`; the file is either the old one or the whole new one, never half. A
 * `path` that is a folder is an error naming it (the caller warns; the run's answer stands).
 */
export async function writeTrace(path: string, trace: Trace): Promise<void> {
  if ((await Deno.stat(path).catch(() => undefined))?.isDirectory) {
    throw new Error(`Cannot write the trace to "${path}": it is a folder; give a file path`);
  }
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  try {
    await Deno.writeTextFile(tmp, serialize(trace));
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * The trace as JSON, indented for people. V8 indents recursively, so a call tree thousands of calls
 * deep overflows its stack there; its compact form has no such limit, and is used instead.
 */
function serialize(trace: Trace): string {
  try {
    return JSON.stringify(trace, null, 1);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return JSON.stringify(trace);
  }
}
