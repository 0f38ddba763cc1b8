/**
 * Read the context files of a run (SPEC §3.1): one file is `context`; several are joined into
 * `context`, each after a `=== FILE name ===` line, and each is also `file_0`, `file_1`, ...
 *
 * Files are read once into memory and hashed from their bytes (no second pass over a string).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { hashText, TEXT_HASH_PREFIX } from "../cache/hash.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Binding } from "../protocol/value.ts";

/** Where the contexts come from. */
export interface ReadContextsOptions {
  /** Standard input, read when there is no path or the path `-`. */
  stdin?: ReadableStream<Uint8Array>;
  /** Whether stdin is a terminal (then there is nothing to read: an error, not a hang). */
  stdinIsTerminal?: boolean;
}

interface LoadedFile {
  name: string;
  text: string;
  bytes: Uint8Array;
  /** Whether `bytes` are exactly the UTF-8 of `text` (false when invalid UTF-8 was replaced). */
  exact: boolean;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

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
  const vars = new Map<string, Binding>();
  if (files.length === 1) {
    vars.set("context", bindingOf(files[0]));
    return vars;
  }
  vars.set("context", joined(files));
  files.forEach((f, i) => vars.set(`file_${i}`, bindingOf(f)));
  return vars;
}

/** The header line before each file of a joined context. */
export function fileHeader(name: string): string {
  return `=== FILE ${name} ===\n`;
}

function joined(files: LoadedFile[]): Binding {
  const parts: string[] = [];
  const h = createHash("sha256").update(TEXT_HASH_PREFIX);
  const exact = files.every((f) => f.exact);
  for (const f of files) {
    const header = fileHeader(f.name);
    const tail = f.text === "" || f.text.endsWith("\n") ? "" : "\n";
    parts.push(header, f.text, tail);
    if (exact) h.update(encoder.encode(header)).update(f.bytes).update(tail);
  }
  const value = parts.join("");
  return { value, hash: exact ? h.digest("hex") : hashText(value) };
}

function bindingOf(f: LoadedFile): Binding {
  const hash = f.exact
    ? createHash("sha256").update(TEXT_HASH_PREFIX).update(f.bytes).digest("hex")
    : hashText(f.text);
  return { value: f.text, hash };
}

async function loadFile(path: string, options: ReadContextsOptions): Promise<LoadedFile> {
  const bytes = path === "-" ? await readStdin(options) : await readWhole(path);
  const text = decoder.decode(bytes);
  // A one-byte (Latin-1) string cannot hold U+FFFD, so this is instant for ASCII logs.
  const exact = !text.includes("\uFFFD");
  return { name: path === "-" ? "<stdin>" : path, text, bytes, exact };
}

async function readStdin(options: ReadContextsOptions): Promise<Uint8Array> {
  if (options.stdinIsTerminal) {
    throw new UsageError("No context given: pass -c FILE, or pipe the context into standard input");
  }
  const stream = options.stdin ?? Deno.stdin.readable;
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Read a whole file into one buffer sized from its length (much faster than growing one). */
async function readWhole(path: string): Promise<Uint8Array> {
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
  const size = (await file.stat()).size;
  let buffer = new Uint8Array(Math.max(size, 1));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer);
      buffer = bigger;
    }
    const n = file.readSync(buffer.subarray(length));
    if (n === null) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}
