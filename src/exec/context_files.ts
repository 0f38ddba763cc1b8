/**
 * Read the context files of a run (SPEC §3.1): one file is `context`; several are joined into
 * `context`, each after a `=== FILE name ===` line, and each is also `file_0`, `file_1`, ...
 *
 * Files are read once into memory and hashed from their bytes (no second pass over a string).
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { hashText, TEXT_HASH_PREFIX } from "../cache/hash.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Binding } from "../protocol/value.ts";

/** Where the contexts come from. */
export interface ReadContextsOptions {
  /** Standard input, read when there is no path or the path `-`. */
  stdin?: ReadableStream<Uint8Array>;
  /** Whether stdin is a terminal (then there is nothing to read: an error, not a hang). */
  stdinIsTerminal?: boolean;
  /**
   * Hash now, from the bytes as read (fast; default), or only if something asks for the hash
   * (`--no-cache` runs, where nothing does).
   */
  hash?: "eager" | "lazy";
}

interface LoadedFile {
  name: string;
  text: string;
  /** Hash of the bytes as read, or undefined when not computed (lazy) or not exact. */
  bytesHash?: string;
  /** Whether the bytes are exactly the UTF-8 of `text` (false when invalid UTF-8 was replaced). */
  exact: boolean;
}

const decoder = new TextDecoder();

/**
 * Bind the files at `paths` (stdin when empty; `-` is stdin) as SPEC §3.1 says.
 * A missing, unreadable or directory path is a `UsageError` naming it.
 *
 * @example
 * ```ts
 * const vars = await readContexts(["a.log", "b.log"]);
 * vars.get("file_1")?.value; // the text of b.log
 * ```
 */
export async function readContexts(
  paths: readonly string[],
  options: ReadContextsOptions = {},
): Promise<Map<string, Binding>> {
  const wanted = paths.length === 0 ? ["-"] : paths;
  if (wanted.filter((p) => p === "-").length > 1) {
    throw new UsageError("Standard input can be given as a context (-c -) only once");
  }
  const files: LoadedFile[] = [];
  for (const path of wanted) files.push(await loadFile(path, options));
  const lazy = options.hash === "lazy";
  const vars = new Map<string, Binding>();
  if (files.length === 1) {
    vars.set("context", lazy ? lazyBinding(files[0].text) : bindingOf(files[0]));
  } else {
    vars.set("context", lazy ? lazyBinding(joinTexts(files)) : joined(files));
    files.forEach((f, i) => vars.set(`file_${i}`, lazy ? lazyBinding(f.text) : bindingOf(f)));
  }
  return vars;
}

/** The header line before each file of a joined context. */
export function fileHeader(name: string): string {
  return `=== FILE ${name} ===\n`;
}

/** A binding whose hash is computed (from the text) the first time it is read. */
function lazyBinding(value: string): Binding {
  let hash: string | undefined;
  return {
    value,
    get hash() {
      return (hash ??= hashText(value));
    },
  };
}

function joinTexts(files: LoadedFile[]): string {
  return files.map((f) =>
    fileHeader(f.name) + f.text + (f.text === "" || f.text.endsWith("\n") ? "" : "\n")
  )
    .join("");
}

/** The joined context of several files, hashed once from its text. */
function joined(files: LoadedFile[]): Binding {
  const value = joinTexts(files);
  return { value, hash: hashText(value) };
}

function bindingOf(f: LoadedFile): Binding {
  return { value: f.text, hash: f.exact && f.bytesHash ? f.bytesHash : hashText(f.text) };
}

async function loadFile(path: string, options: ReadContextsOptions): Promise<LoadedFile> {
  const hasher = options.hash === "lazy"
    ? undefined
    : createHash("sha256").update(TEXT_HASH_PREFIX);
  const text = path === "-"
    ? decodeAll(await readStdin(options), hasher)
    : await streamFile(path, hasher);
  // A one-byte (Latin-1) string cannot hold U+FFFD, so this is instant for ASCII logs.
  const exact = !text.includes("\uFFFD");
  return { name: path === "-" ? "<stdin>" : path, text, exact, bytesHash: hasher?.digest("hex") };
}

function decodeAll(bytes: Uint8Array, hasher?: Hash): string {
  hasher?.update(bytes);
  return decoder.decode(bytes);
}

const CHUNK = 1 << 24;

/**
 * Read a file in 16 MiB chunks into one reused buffer, hashing and decoding as it goes: the
 * bytes are never all in memory at once, and the file is read and hashed exactly once.
 */
async function streamFile(path: string, hasher?: Hash): Promise<string> {
  let file: Deno.FsFile;
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) {
      throw new UsageError(`Cannot read context file "${path}": it is a directory`);
    }
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot read context file "${path}": ${describe(error)}`);
  }
  using _ = file;
  const streaming = new TextDecoder();
  const buffer = new Uint8Array(CHUNK);
  const parts: string[] = [];
  for (;;) {
    let filled = 0;
    while (filled < CHUNK) {
      const n = file.readSync(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    if (filled === 0) break;
    const chunk = buffer.subarray(0, filled);
    hasher?.update(chunk);
    parts.push(streaming.decode(chunk, { stream: true }));
    if (filled < CHUNK) break;
  }
  parts.push(streaming.decode());
  return parts.length === 1 ? parts[0] : parts.join("");
}

async function readStdin(options: ReadContextsOptions): Promise<Uint8Array> {
  if (options.stdinIsTerminal) {
    throw new UsageError("No context given: pass -c FILE, or pipe the context into standard input");
  }
  const stream = options.stdin ?? Deno.stdin.readable;
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}
