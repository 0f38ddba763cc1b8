/**
 * Reading a context file as decoded, line-aligned pieces, whole or a byte range of it, always as
 * it was when it was first seen (its `TextFileSource`). No Node built-ins: parallel workers
 * load this module, and a small module graph starts fast.
 *
 * @module
 */
import { InfrastructureError } from "../protocol/errors.ts";
import type { TextFileSource } from "../protocol/value.ts";

/**
 * Bytes read per piece: big enough to amortise the calls, small enough to stay in cache (1 MiB
 * measured fastest of 256 KiB to 16 MiB, for reading, decoding and a regex scan).
 */
export const PIECE_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Thrown when a context file is no longer the file rlm first saw (another file moved over it, or
 * it grew, shrank or was modified): reading on would mix two versions of it, or cache one under
 * the other's hash. An infrastructure failure: the run ends with exit 1.
 */
export class ContextFileChangedError extends InfrastructureError {
  /** The file. */
  readonly path: string;
  constructor(path: string, what: string) {
    super(
      "context",
      `Context file "${path}" ${what} while rlm was running; copy it to a file that stays put and pass that`,
    );
    this.name = "ContextFileChangedError";
    this.path = path;
  }
}

/** The `TextFileSource` of an open file, as it is now (the snapshot every later read must match). */
export function snapshotOf(path: string, info: Deno.FileInfo): TextFileSource {
  return {
    path,
    size: info.size,
    mtime: info.mtime?.getTime() ?? null,
    dev: info.dev,
    ino: info.ino,
    ctime: info.ctime?.getTime() ?? null,
  };
}

/** What changed between `source` and the file's status `now`, or undefined when nothing did. */
function changeOf(source: TextFileSource, now: Deno.FileInfo): string | undefined {
  if (
    (source.dev !== undefined && now.dev !== source.dev) ||
    (source.ino !== undefined && now.ino !== source.ino)
  ) {
    return "was replaced by another file";
  }
  if (now.size < source.size) return "shrank";
  if (now.size > source.size) return "grew";
  if ((now.mtime?.getTime() ?? null) !== source.mtime) return "was modified";
  if (source.ctime !== undefined && (now.ctime?.getTime() ?? null) !== source.ctime) {
    return "was modified";
  }
  return undefined;
}

/** Fail unless the open `file` is still exactly the file of `source` (device, inode, size, times). */
export function checkSource(file: Deno.FsFile, source: TextFileSource): void {
  const what = changeOf(source, file.statSync());
  if (what !== undefined) throw new ContextFileChangedError(source.path, what);
}

/** Open the file, checking it is still the file of `source` (a reader checks again after reading). */
export function openSource(source: TextFileSource): Deno.FsFile {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(source.path, { read: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new ContextFileChangedError(source.path, "was removed");
  }
  try {
    checkSource(file, source);
  } catch (error) {
    file.close();
    throw error;
  }
  return file;
}

/** Fill `buffer` from the file, or fail: the file holds the snapshot's bytes. */
export function readExactly(file: Deno.FsFile, buffer: Uint8Array, source: TextFileSource): void {
  let filled = 0;
  while (filled < buffer.length) {
    const n = file.readSync(buffer.subarray(filled));
    if (n === null || n === 0) throw new ContextFileChangedError(source.path, "shrank");
    filled += n;
  }
}

/**
 * The decoded text of bytes [start, end) in pieces that end at a line end (the last may not),
 * so a piece never splits a line, a multi-byte character or a surrogate pair. `start` must be 0
 * or just after a "\n" (see `lineAlignedSplits`); a byte-order mark is dropped only at 0.
 */
export function* readFilePieces(
  source: TextFileSource,
  start = 0,
  end = source.size,
  onBytes?: (bytes: Uint8Array) => void,
): Generator<string> {
  using file = openSource(source);
  let done = false;
  try {
    yield* decodePieces(file, source, start, end, onBytes);
    done = true;
  } finally {
    // Also when the reader stopped early: the bytes it saw were the snapshot's.
    if (!done) checkSource(file, source);
  }
}

function* decodePieces(
  file: Deno.FsFile,
  source: TextFileSource,
  start: number,
  end: number,
  onBytes?: (bytes: Uint8Array) => void,
): Generator<string> {
  if (start > 0) file.seekSync(start, Deno.SeekMode.Start);
  const decoder = new TextDecoder("utf-8", { ignoreBOM: start > 0 });
  // Room for one piece plus the unfinished line carried over from the previous one.
  let buffer = new Uint8Array(PIECE_BYTES * 2);
  let carry = 0;
  let left = end - start;
  while (left > 0) {
    if (buffer.length - carry < PIECE_BYTES) {
      // A line longer than a piece: grow rather than split it.
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer.subarray(0, carry));
      buffer = bigger;
    }
    const want = Math.min(PIECE_BYTES, left);
    readExactly(file, buffer.subarray(carry, carry + want), source);
    onBytes?.(buffer.subarray(carry, carry + want));
    left -= want;
    // The last bytes are read: check the file before the reader sees them.
    if (left === 0) checkSource(file, source);
    const filled = carry + want;
    const cut = left === 0 ? filled : buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
    if (cut > 0) {
      yield decoder.decode(buffer.subarray(0, cut), { stream: left > 0 });
      buffer.copyWithin(0, cut, filled);
      carry = filled - cut;
    } else {
      carry = filled;
    }
  }
  if (end <= start) checkSource(file, source);
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

/**
 * Up to `parts` byte ranges covering the file, each starting at 0 or just after a "\n", so the
 * ranges' texts concatenated are the file's text (UTF-8 resynchronises at every "\n").
 */
export function lineAlignedSplits(source: TextFileSource, parts: number): [number, number][] {
  const bounds = [0];
  using file = openSource(source);
  const window = new Uint8Array(64 * 1024);
  for (let k = 1; k < parts; k++) {
    let at = Math.max(bounds[bounds.length - 1], Math.floor((source.size * k) / parts));
    // The next line start at or after `at`.
    for (;;) {
      if (at >= source.size) break;
      file.seekSync(at, Deno.SeekMode.Start);
      const n = Math.min(window.length, source.size - at);
      readExactly(file, window.subarray(0, n), source);
      const nl = window.subarray(0, n).indexOf(NEWLINE);
      if (nl !== -1) {
        at += nl + 1;
        break;
      }
      at += n;
    }
    if (at >= source.size) break;
    if (at > bounds[bounds.length - 1]) bounds.push(at);
  }
  checkSource(file, source);
  bounds.push(source.size);
  return bounds.slice(1).map((e, i) => [bounds[i], e]);
}
