/**
 * A context file bound as a text without reading it up front: ops that work line by line
 * stream it in pieces, the whole string is built only if some op asks for it, and the content
 * hash is computed from the bytes the first time a cache key needs it.
 *
 * The file is taken as it was when it was first opened (device, inode, size, times): a file
 * that is then replaced, appended to, truncated or rewritten is an error on the next read
 * (`ContextFileChangedError`, an infrastructure failure), never a mix of two versions.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { hashText, hashTextBytes, hashTextPieces, TEXT_HASH_PREFIX } from "../cache/hash.ts";
import type { Binding, TextFileSource } from "../protocol/value.ts";
import {
  checkSource,
  ContextFileChangedError,
  openSource,
  PIECE_BYTES,
  readExactly,
  readFilePieces,
  snapshotOf,
} from "./file_pieces.ts";

export { ContextFileChangedError, PIECE_BYTES, snapshotOf };

/**
 * A text binding over the regular file `source.path`.
 *
 * Every read of the whole file (its pieces, its text, its hash) after the hash or the text was
 * first read digests the bytes as they are read, and must give the same digest as that first
 * read: a file rewritten in place without a visible change of size or times is still noticed,
 * before an op's result built on the new bytes could be cached under the old bytes' hash.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "line\n".repeat(1000));
 * using file = await Deno.open(path);
 * const b = fileTextBinding(snapshotOf(path, file.statSync()));
 * // The pieces stream the file: no single string of it is built.
 * assertEquals([...b.pieces!()].join(""), "line\n".repeat(1000));
 * await Deno.writeTextFile(path, "other\n"); // changed under the run: the next read refuses it
 * let refused = false;
 * try { [...b.pieces!()]; } catch (e) { refused = e instanceof ContextFileChangedError; }
 * assertEquals(refused, true);
 * ```
 */
export function fileTextBinding(source: TextFileSource): Binding {
  let digest: string | undefined;
  const settle = (seen: string) => {
    if (digest === undefined) digest = seen;
    else if (seen !== digest) throw new ContextFileChangedError(source.path, "was modified");
  };
  // Pieces are digested once there is a digest to compare with (the hash, or the whole text, was
  // read): a run without the cache, which never hashes, streams without the cost.
  const pieces = () =>
    digest === undefined ? readFilePieces(source) : digestedPieces(source, settle);
  return piecewiseBinding(pieces, {
    whole: () => readWhole(source, settle),
    hash: () => {
      const read = digestBytes(source);
      settle(read.digest);
      return read.exact ? read.digest : undefined;
    },
    source,
  });
}

function* digestedPieces(
  source: TextFileSource,
  settle: (digest: string) => void,
): Generator<string> {
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  yield* readFilePieces(source, 0, source.size, (bytes) => h.update(bytes));
  settle(h.digest("hex"));
}

/**
 * A text binding over line-aligned `pieces` that are read again on each use: `value` is built
 * (by `whole`, else by joining the pieces) and the hash computed (by `hash`, else from the
 * pieces) the first time they are asked for; once `value` is built, it is the only piece.
 */
export function piecewiseBinding(
  pieces: () => Iterable<string>,
  options: {
    /** The whole text, when there is a cheaper way than joining the pieces. */
    whole?: () => string;
    /** The text's hash, when there is a cheaper way than hashing the pieces (undefined: none). */
    hash?: () => string | undefined;
    source?: TextFileSource;
  } = {},
): Binding {
  let text: string | undefined;
  let hash: string | undefined;
  return {
    get value() {
      return (text ??= options.whole?.() ?? [...pieces()].join(""));
    },
    get hash() {
      return (hash ??= text !== undefined
        ? hashText(text)
        : options.hash?.() ?? hashTextPieces(pieces()));
    },
    pieces: () => (text !== undefined ? [text] : pieces()),
    ...(options.source ? { source: options.source } : {}),
  };
}

function readWhole(source: TextFileSource, settle: (digest: string) => void): string {
  using file = openSource(source);
  const bytes = new Uint8Array(source.size);
  readExactly(file, bytes, source);
  checkSource(file, source);
  settle(hashTextBytes(bytes));
  return new TextDecoder().decode(bytes);
}

/**
 * The text hash straight from the file's bytes, or undefined when they are not exactly the
 * UTF-8 of the decoded text (invalid UTF-8, or a byte-order mark). Exported for tests.
 */
export function bytesHashIfExact(source: TextFileSource): string | undefined {
  const read = digestBytes(source);
  return read.exact ? read.digest : undefined;
}

/**
 * The digest of the file's bytes (hashed as text bytes, so it is the text hash when `exact`), and
 * whether they are exactly the UTF-8 of the decoded text.
 */
function digestBytes(source: TextFileSource): { digest: string; exact: boolean } {
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  using file = openSource(source);
  // One piece plus up to 3 bytes of a character cut at the previous piece's end.
  const buffer = new Uint8Array(PIECE_BYTES + 3);
  let exact = true;
  let carry = 0;
  let left = source.size;
  for (let first = true; left > 0; first = false) {
    const want = Math.min(PIECE_BYTES, left);
    readExactly(file, buffer.subarray(carry, carry + want), source);
    left -= want;
    const end = carry + want;
    if (first && end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
      exact = false;
    }
    const cut = left === 0 ? end : end - unfinishedTail(buffer, end);
    if (exact && !isUtf8(buffer.subarray(0, cut))) exact = false;
    h.update(buffer.subarray(0, cut));
    buffer.copyWithin(0, cut, end);
    carry = end - cut;
  }
  checkSource(file, source);
  return { digest: h.digest("hex"), exact };
}

/** How many bytes at the end of `bytes[0..end)` begin a UTF-8 character that is not complete. */
function unfinishedTail(bytes: Uint8Array, end: number): number {
  for (let back = 1; back <= 3 && back <= end; back++) {
    const b = bytes[end - back];
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}
