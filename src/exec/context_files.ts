/**
 * Read the context files of a run (docs/reference/protocol.md): one file is `context`; several are joined into
 * `context`, each after a `=== FILE name ===` line, and each is also `file_0`, `file_1`, ...
 *
 * A regular file is not read here: it is bound as a text read on demand (`fileTextBinding`),
 * so line-by-line ops stream it and a plan that needs no cache never hashes it. Standard input
 * (`-`, `/dev/stdin`, `/dev/fd/0`), pipes and devices can be read only once, so they are read
 * into memory now, up to `maxContextBytes`.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";
import type { Binding } from "../protocol/value.ts";
import { fileTextBinding, PIECE_BYTES, piecewiseBinding, snapshotOf } from "./file_text.ts";

/** The default of `--max-context-bytes`: the most read from one pipe, device or stdin (4 GiB). */
export const DEFAULT_MAX_CONTEXT_BYTES = 4 * 1024 ** 3;

/** Paths that name this process's standard input. */
const STDIN_PATHS = new Set(["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/** Where the contexts come from. */
export interface ReadContextsOptions {
  /** Standard input, read when there is no path or the path `-`. */
  stdin?: ReadableStream<Uint8Array>;
  /** Whether stdin is a terminal (then there is nothing to read: an error, not a hang). */
  stdinIsTerminal?: boolean;
  /**
   * The most bytes read from one context that is not a regular file (stdin, a pipe, a device);
   * more is a `UsageError`. `--max-context-bytes`.
   * @default {DEFAULT_MAX_CONTEXT_BYTES}
   */
  maxContextBytes?: number;
}

interface LoadedFile {
  name: string;
  binding: Binding;
}

/**
 * Bind the files at `paths` (stdin when empty; `-` is stdin) as docs/reference/protocol.md says.
 * A missing, unreadable or directory path is a `UsageError` naming it.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.log`, "one\n");
 * await Deno.writeTextFile(`${dir}/b.log`, "two\n");
 * const vars = await readContexts([`${dir}/a.log`, `${dir}/b.log`]);
 * assertEquals(vars.get("file_1")?.value, "two\n");
 * assertEquals(vars.get("context")?.value, `=== FILE ${dir}/a.log ===\none\n=== FILE ${dir}/b.log ===\ntwo\n`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readContexts(
  paths: readonly string[],
  options: ReadContextsOptions = {},
): Promise<Map<string, Binding>> {
  const wanted = paths.length === 0 ? ["-"] : paths;
  if (wanted.filter((p) => STDIN_PATHS.has(p)).length > 1) {
    throw new UsageError("Standard input can be given as a context (-c -) only once");
  }
  const files: LoadedFile[] = [];
  for (const path of wanted) files.push(await loadFile(path, options));
  const vars = new Map<string, Binding>();
  if (files.length === 1) {
    vars.set("context", files[0].binding);
  } else {
    vars.set("context", joined(files));
    files.forEach((f, i) => vars.set(`file_${i}`, f.binding));
  }
  return vars;
}

/** The header line before each file of a joined context. */
function fileHeader(name: string): string {
  return `=== FILE ${name} ===\n`;
}

/** The joined context of several files: its pieces are the files' pieces under their headers. */
function joined(files: LoadedFile[]): Binding {
  return piecewiseBinding(function* (): Generator<string> {
    for (const f of files) {
      yield fileHeader(f.name);
      let last = "";
      for (const piece of f.binding.pieces?.() ?? [f.binding.value as string]) {
        if (piece !== "") last = piece;
        yield piece;
      }
      if (last !== "" && !last.endsWith("\n")) yield "\n";
    }
  });
}

async function loadFile(path: string, options: ReadContextsOptions): Promise<LoadedFile> {
  const limit = options.maxContextBytes ?? DEFAULT_MAX_CONTEXT_BYTES;
  if (STDIN_PATHS.has(path)) {
    if (options.stdinIsTerminal) {
      throw new UsageError(
        "No context given: pass -c FILE, or pipe the context into standard input",
      );
    }
    const stream = options.stdin ?? Deno.stdin.readable;
    return { name: "<stdin>", binding: bytesBinding(await readBounded(stream, path, limit)) };
  }
  let file: Deno.FsFile;
  let info: Deno.FileInfo;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw new UsageError(`Cannot read context file "${path}": ${describe(error)}`);
  }
  try {
    info = await file.stat();
    if (info.isDirectory) {
      throw new UsageError(`Cannot read context file "${path}": it is a directory`);
    }
    if (!info.isFile) {
      // A pipe or device (e.g. -c <(zcat x.gz)) can be read once only: read it now.
      return { name: path, binding: bytesBinding(await readBounded(file.readable, path, limit)) };
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot read context file "${path}": ${describe(error)}`);
  } finally {
    try {
      file.close();
    } catch { /* closed by its stream */ }
  }
  return { name: path, binding: fileTextBinding(snapshotOf(path, info)) };
}

/** Read `stream` to its end, failing once it passes `limit` bytes. */
async function readBounded(
  stream: ReadableStream<Uint8Array>,
  name: string,
  limit: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > limit) {
        throw new UsageError(
          `Context "${name}" is larger than --max-context-bytes (${limit} bytes): ` +
            "raise the limit (or RLM_MAX_CONTEXT_BYTES), or save it to a file and pass that",
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot read context "${name}": ${describe(error)}`);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

/** A text held as bytes in memory: decoded in line-aligned pieces, or whole when asked for. */
function bytesBinding(bytes: Uint8Array): Binding {
  return piecewiseBinding(function* (): Generator<string> {
    const decoder = new TextDecoder();
    for (let at = 0; at < bytes.length;) {
      let end = Math.min(bytes.length, at + PIECE_BYTES);
      if (end < bytes.length) {
        const nl = bytes.lastIndexOf(0x0a, end - 1);
        end = nl >= at ? nl + 1 : Math.max(end, bytes.indexOf(0x0a, end) + 1 || bytes.length);
      }
      const piece = decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
      if (piece !== "") yield piece;
      at = end;
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  }, { whole: () => new TextDecoder().decode(bytes) });
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}
