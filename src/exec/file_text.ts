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
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  return hashBytesIfExact(snapshot, h) ? h.digest("hex") : hashTextPieces(readPieces(snapshot));
}

function hashBytesIfExact(snapshot: FileSnapshot, h: ReturnType<typeof createHash>): boolean {
  using file = openChecked(snapshot);
  const buffer = new Uint8Array(PIECE_BYTES);
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  // Whether the strict decoder may hold part of a character (then it must see the next bytes).
  let pending = false;
  let left = snapshot.size;
  for (let first = true; left > 0; first = false) {
    const want = Math.min(PIECE_BYTES, left);
    const chunk = buffer.subarray(0, want);
    if (readFull(file, chunk) < want) throw new ContextFileChangedError(snapshot.path, "shrank");
    left -= want;
    if (first && want >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      return false;
    }
    const ascii = isAscii(chunk);
    if (!ascii || pending) {
      try {
        strict.decode(chunk, { stream: true });
      } catch {
        return false;
      }
      pending = !ascii;
    }
    h.update(chunk);
  }
  try {
    if (pending) strict.decode();
  } catch {
    return false;
  }
  return true;
}

/** Whether every byte is below 0x80, four at a time. */
function isAscii(bytes: Uint8Array): boolean {
  const whole = bytes.byteOffset % 4 === 0 ? bytes.length - (bytes.length % 4) : 0;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, whole / 4);
  let any = 0;
  for (let i = 0; i < words.length; i++) any |= words[i];
  for (let i = whole; i < bytes.length; i++) any |= bytes[i];
  return (any & 0x80808080) === 0;
}
