/**
 * Path helpers over `node:path` and `node:url` (no `@std/path` here: no JSR).
 *
 * @module
 */
import { dirname as nodeDirname } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of a path. */
export function dirname(path: string): string {
  return nodeDirname(path);
}

/** A file URL (string or URL) as a path. */
export function fromFileUrl(url: string | URL): string {
  return fileURLToPath(url);
}
