/**
 * A context file bound as a text without reading it up front: ops that work line by line
 * stream it in pieces, the whole string is built only if some op asks for it, and the content
 * hash is computed from the bytes the first time a cache key needs it.
 *
 * The file is taken as it was when it was opened: later reads stop at that size, so a log that
 * grows while rlm runs reads the same bytes every time; one that shrinks or is rewritten in
 * place is an error, never a mix of two versions.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { hashText, hashTextPieces, TEXT_HASH_PREFIX } from "../cache/hash.ts";
import type { Binding, TextFileSource } from "../protocol/value.ts";
import { openSource, PIECE_BYTES, readExactly, readFilePieces } from "./file_pieces.ts";

export { ContextFileChangedError, PIECE_BYTES } from "./file_pieces.ts";

/**
 * A text binding over the regular file `source.path`.
 *
 * @example
 * ```ts
 * const info = await Deno.stat("big.log");
 * const b = fileTextBinding({ path: "big.log", size: info.size, mtime: info.mtime?.getTime() ?? null });
 * for (const piece of b.pieces!()) console.log(piece.length); // no 200 MB string is built
 * ```
 */
export function fileTextBinding(source: TextFileSource): Binding {
  return piecewiseBinding(() => readFilePieces(source), {
    whole: () => readWhole(source),
    hash: () => bytesHashIfExact(source),
    source,
  });
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

function readWhole(source: TextFileSource): string {
  using file = openSource(source);
  const bytes = new Uint8Array(source.size);
  readExactly(file, bytes, source);
  return new TextDecoder().decode(bytes);
}

/**
 * The text hash straight from the file's bytes, or undefined when they are not exactly the
 * UTF-8 of the decoded text (invalid UTF-8, or a byte-order mark). Exported for tests.
 */
export function bytesHashIfExact(source: TextFileSource): string | undefined {
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  using file = openSource(source);
  // One piece plus up to 3 bytes of a character cut at the previous piece's end.
  const buffer = new Uint8Array(PIECE_BYTES + 3);
  let carry = 0;
  let left = source.size;
  for (let first = true; left > 0; first = false) {
    const want = Math.min(PIECE_BYTES, left);
    readExactly(file, buffer.subarray(carry, carry + want), source);
    left -= want;
    const end = carry + want;
    if (first && end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
      return undefined;
    }
    const cut = left === 0 ? end : end - unfinishedTail(buffer, end);
    if (!isUtf8(buffer.subarray(0, cut))) return undefined;
    h.update(buffer.subarray(0, cut));
    buffer.copyWithin(0, cut, end);
    carry = end - cut;
  }
  return h.digest("hex");
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
