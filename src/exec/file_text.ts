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
import type { Binding } from "../protocol/value.ts";

/** Bytes read per piece: big enough to amortise the calls, small enough to stay in cache. */
const PIECE_BYTES = 1 << 22;
const NEWLINE = 0x0a;

/** What is known of the file when it is opened. */
export interface FileSnapshot {
  path: string;
  /** Its size in bytes: every read stops here. */
  size: number;
  /** Its modification time, to notice a rewrite. */
  mtime: number | null;
}

/** Thrown when a context file changed in a way that would mix two versions of it. */
export class ContextFileChangedError extends Error {
  /** The file. */
  readonly path: string;
  constructor(path: string, what: string) {
    super(
      `Context file "${path}" ${what} while rlm was reading it; copy it to a file that stays put and pass that`,
    );
    this.name = "ContextFileChangedError";
    this.path = path;
  }
}

/**
 * A text binding over the regular file `snapshot.path`.
 *
 * @example
 * ```ts
 * const info = await Deno.stat("big.log");
 * const b = fileTextBinding({ path: "big.log", size: info.size, mtime: info.mtime?.getTime() ?? null });
 * for (const piece of b.pieces!()) console.log(piece.length); // no 200 MB string is built
 * ```
 */
export function fileTextBinding(snapshot: FileSnapshot): Binding {
  let text: string | undefined;
  let hash: string | undefined;
  return {
    get value() {
      return (text ??= readWhole(snapshot));
    },
    get hash() {
      return (hash ??= text !== undefined ? hashText(text) : hashFile(snapshot));
    },
    pieces: () => (text !== undefined ? [text] : readPieces(snapshot)),
  };
}

function openChecked(snapshot: FileSnapshot): Deno.FsFile {
  const file = Deno.openSync(snapshot.path, { read: true });
  try {
    checkUnchanged(snapshot, file.statSync());
  } catch (error) {
    file.close();
    throw error;
  }
  return file;
}

/** A file that grew kept its first `size` bytes (a log being appended to); anything else did not. */
function checkUnchanged(snapshot: FileSnapshot, now: Deno.FileInfo): void {
  const mtime = now.mtime?.getTime() ?? null;
  if (now.size < snapshot.size) throw new ContextFileChangedError(snapshot.path, "shrank");
  if (now.size === snapshot.size && mtime !== snapshot.mtime) {
    throw new ContextFileChangedError(snapshot.path, "was rewritten");
  }
}

/** Fill `buffer` from the file; fewer bytes only at the end of the snapshot. */
function readFull(file: Deno.FsFile, buffer: Uint8Array): number {
  let filled = 0;
  while (filled < buffer.length) {
    const n = file.readSync(buffer.subarray(filled));
    if (n === null || n === 0) break;
    filled += n;
  }
  return filled;
}

function readWhole(snapshot: FileSnapshot): string {
  using file = openChecked(snapshot);
  const bytes = new Uint8Array(snapshot.size);
  if (readFull(file, bytes) < snapshot.size) {
    throw new ContextFileChangedError(snapshot.path, "shrank");
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The decoded text in pieces that end at a line end (the last piece may not), so a piece never
 * splits a line, a multi-byte character or a surrogate pair.
 */
function* readPieces(snapshot: FileSnapshot): Generator<string> {
  using file = openChecked(snapshot);
  const decoder = new TextDecoder();
  // Room for one piece plus the unfinished line carried over from the previous one.
  let buffer = new Uint8Array(PIECE_BYTES * 2);
  let carry = 0;
  let left = snapshot.size;
  while (left > 0) {
    if (buffer.length - carry < PIECE_BYTES) {
      // A line longer than a piece: grow rather than split it.
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer.subarray(0, carry));
      buffer = bigger;
    }
    const want = Math.min(PIECE_BYTES, left);
    const got = readFull(file, buffer.subarray(carry, carry + want));
    if (got < want) throw new ContextFileChangedError(snapshot.path, "shrank");
    left -= got;
    const end = carry + got;
    const cut = left === 0 ? end : buffer.lastIndexOf(NEWLINE, end - 1) + 1;
    if (cut > 0) {
      yield decoder.decode(buffer.subarray(0, cut), { stream: left > 0 });
      buffer.copyWithin(0, cut, end);
      carry = end - cut;
    } else {
      carry = end;
    }
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

/**
 * The content hash, from the bytes when they are exactly the UTF-8 of the decoded text (valid
 * UTF-8 with no byte-order mark, which decoding drops), else from the decoded pieces.
 */
function hashFile(snapshot: FileSnapshot): string {
  return bytesHashIfExact(snapshot) ?? hashTextPieces(readPieces(snapshot));
}

/**
 * The text hash straight from the file's bytes, or undefined when they are not exactly the
 * UTF-8 of the decoded text (invalid UTF-8, or a byte-order mark). Exported for tests.
 */
export function bytesHashIfExact(snapshot: FileSnapshot): string | undefined {
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  using file = openChecked(snapshot);
  // One piece plus up to 3 bytes of a character cut at the previous piece's end.
  const buffer = new Uint8Array(PIECE_BYTES + 3);
  let carry = 0;
  let left = snapshot.size;
  for (let first = true; left > 0; first = false) {
    const want = Math.min(PIECE_BYTES, left);
    if (readFull(file, buffer.subarray(carry, carry + want)) < want) {
      throw new ContextFileChangedError(snapshot.path, "shrank");
    }
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
