/**
 * Values of the DSL: a value is text (a string) or a list of strings (docs/reference/protocol.md).
 *
 * @module
 */
import { z } from "zod";

/** A DSL value: text or a list of texts. */
export const ValueSchema = z.union([z.string(), z.array(z.string())]);
/** A DSL value: text or a list of texts. */
export type Value = z.infer<typeof ValueSchema>;

/** A variable name: an identifier the model can write and read back. */
export const VarNameSchema = z.string().regex(
  /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  "must be an identifier (letters, digits, _; at most 64 characters; not starting with a digit)",
);
/** A variable name. */
export type VarName = z.infer<typeof VarNameSchema>;

/** A context file as it was when rlm first saw it: reads stop at `size`; see `readFilePieces`. */
export interface TextFileSource {
  readonly path: string;
  /** Its size in bytes then. */
  readonly size: number;
  /** Its modification time then (ms), to notice a rewrite. */
  readonly mtime: number | null;
  /** Its device, inode and status-change time (ms) then: another file moved over it is noticed. */
  readonly dev?: number;
  readonly ino?: number | null;
  readonly ctime?: number | null;
}

/** A value bound to a variable, with its content hash (hex sha256, see `hashValue`). */
export interface Binding {
  readonly value: Value;
  readonly hash: string;
  /**
   * For a text too big to want as one string (a context file read on demand): its pieces in
   * order, each ending at a line end (the last may not), whose concatenation is `value`. Ops
   * that work line by line read these instead of `value`, so the whole string is never built.
   */
  readonly pieces?: () => Iterable<string>;
  /** For a text that is a whole context file: the file, so an executor may read parts of it. */
  readonly source?: TextFileSource;
}

/** The kind of a value as the model is told it. */
export function kindOf(value: Value): "text" | "list" {
  return typeof value === "string" ? "text" : "list";
}
