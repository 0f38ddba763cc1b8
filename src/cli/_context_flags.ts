/**
 * `--max-context-bytes` [RLM_MAX_CONTEXT_BYTES], which `run` and `exec` share: the most bytes
 * read from one context that is not a regular file (stdin, a pipe, a device).
 *
 * @module
 */
import { DEFAULT_MAX_CONTEXT_BYTES } from "../exec/context_files.ts";
import { fromEnv, intFlag } from "./_flags.ts";

/** The help line of `--max-context-bytes`. */
export const MAX_CONTEXT_BYTES_HELP =
  "most bytes read from stdin, a pipe or a device [RLM_MAX_CONTEXT_BYTES] (default: 4294967296)";

/** The value of `--max-context-bytes`, else `RLM_MAX_CONTEXT_BYTES`, else the default (4 GiB). */
export function maxContextBytes(flag: string | undefined): number {
  const text = fromEnv(flag, "RLM_MAX_CONTEXT_BYTES");
  return intFlag("--max-context-bytes", text, DEFAULT_MAX_CONTEXT_BYTES, 1);
}
