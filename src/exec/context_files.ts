/**
 * Read the context files of a run (SPEC §3.1): one file is `context`; several are joined into
 * `context`, each after a `=== FILE name ===` line, and each is also `file_0`, `file_1`, ...
 *
 * A regular file is not read here: it is bound as a text read on demand (`fileTextBinding`),
 * so line-by-line ops stream it and a plan that needs no cache never hashes it. Standard input
 * and pipes can be read only once, so they are read into memory now.
 *
 * @module
 */
import { hashText } from "../cache/hash.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Binding } from "../protocol/value.ts";
import { fileTextBinding, piecewiseBinding } from "./file_text.ts";

/** Where the contexts come from. */
export interface ReadContextsOptions {
  /** Standard input, read when there is no path or the path `-`. */
  stdin?: ReadableStream<Uint8Array>;
  /** Whether stdin is a terminal (then there is nothing to read: an error, not a hang). */
  stdinIsTerminal?: boolean;
}

interface LoadedFile {
  name: string;
  binding: Binding;
}

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
    vars.set("context", files[0].binding);
  } else {
    vars.set("context", joined(files));
    files.forEach((f, i) => vars.set(`file_${i}`, f.binding));
  }
  return vars;
}

/** The header line before each file of a joined context. */
export function fileHeader(name: string): string {
  return `=== FILE ${name} ===\n`;
}

/** A text in memory whose hash is computed the first time it is read. */
function textBinding(value: string): Binding {
  let hash: string | undefined;
  return {
    value,
    get hash() {
      return (hash ??= hashText(value));
    },
  };
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
  if (path === "-") {
    return { name: "<stdin>", binding: textBinding(decoder.decode(await readStdin(options))) };
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    throw new UsageError(`Cannot read context file "${path}": ${describe(error)}`);
  }
  if (info.isDirectory) {
    throw new UsageError(`Cannot read context file "${path}": it is a directory`);
  }
  if (!info.isFile) {
    // A pipe or device (e.g. -c <(zcat x.gz)) can be read once only: read it now.
    return { name: path, binding: textBinding(await readOnce(path)) };
  }
  try {
    // Fail now, not in the middle of a plan, when the file cannot be opened.
    (await Deno.open(path, { read: true })).close();
  } catch (error) {
    throw new UsageError(`Cannot read context file "${path}": ${describe(error)}`);
  }
  const binding = fileTextBinding({ path, size: info.size, mtime: info.mtime?.getTime() ?? null });
  return { name: path, binding };
}

const decoder = new TextDecoder();

async function readOnce(path: string): Promise<string> {
  try {
    return decoder.decode(await Deno.readFile(path));
  } catch (error) {
    throw new UsageError(`Cannot read context file "${path}": ${describe(error)}`);
  }
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
