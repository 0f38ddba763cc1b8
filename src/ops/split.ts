/**
 * `split`: the pieces of a text between occurrences of a literal delimiter.
 *
 * @module
 */
import type { OpImpl } from "./types.ts";

/**
 * Pieces between occurrences of `delimiter` (a literal, not a regex); joining them with the
 * delimiter gives the input back.
 *
 * @example `{"op": "split", "args": {"input": "context", "delimiter": "\n\n"}}` → paragraphs
 */
export const split: OpImpl<"split"> = (args, vars) =>
  vars.text(args.input, "input").split(args.delimiter);
