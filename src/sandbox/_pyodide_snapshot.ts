/**
 * Pyodide's memory snapshot: built by a child with no write permission (it prints the bytes),
 * kept in memory, and, with a cache folder, stored there beside its sha256 so that a truncated
 * or altered file is rebuilt instead of breaking every evaluation.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readBounded } from "./_bounded_read.ts";
import { childArgs, denoCommand } from "./_deno_child.ts";
import { SandboxRuntimeError } from "../protocol/sandbox_errors.ts";

/** A snapshot is about 31 MB; more than this from the builder is a broken builder. */
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/** Where to build a snapshot from, and where to keep it. */
export interface SnapshotSource {
  runner: string;
  pyodideDir: string;
  version: string;
  /** The cache folder; none: build it, keep it in memory only. */
  dir?: string;
}

/** The snapshot's bytes: from `dir` if it holds an intact one, else built (and stored there). */
export async function loadSnapshot(source: SnapshotSource): Promise<Uint8Array> {
  const path = source.dir && `${source.dir}/pyodide-${source.version}.snapshot`;
  if (path) {
    const kept = await readIntact(path);
    if (kept) return kept;
  }
  const bytes = await buildSnapshot(source);
  if (path) await store(path, bytes).catch(() => {/* a read-only cache: keep it in memory */});
  return bytes;
}

async function readIntact(path: string): Promise<Uint8Array | undefined> {
  try {
    const [bytes, sum] = await Promise.all([
      Deno.readFile(path),
      Deno.readTextFile(`${path}.sha256`),
    ]);
    return bytes.length > 0 && sha256(bytes) === sum.trim() ? bytes : undefined;
  } catch {
    return undefined;
  }
}

async function store(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.writeTextFile(`${tmp}.sha256`, sha256(bytes));
    // The hash last: a reader that finds it finds the snapshot it names, or a mismatch.
    await Deno.rename(tmp, path);
    await Deno.rename(`${tmp}.sha256`, `${path}.sha256`);
  } finally {
    await Deno.remove(tmp).catch(() => {});
    await Deno.remove(`${tmp}.sha256`).catch(() => {});
  }
}

async function buildSnapshot(source: SnapshotSource): Promise<Uint8Array> {
  const { program, args, env } = denoCommand(
    childArgs(source.runner, [source.pyodideDir], 512, ["--snapshot-out"]),
  );
  const child = new Deno.Command(program, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = readBounded(child.stderr, 4096);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of child.stdout) {
    size += chunk.length;
    if (size > MAX_SNAPSHOT_BYTES) {
      child.kill("SIGKILL");
      break;
    }
    chunks.push(chunk);
  }
  const status = await child.status;
  if (!status.success || size === 0 || size > MAX_SNAPSHOT_BYTES) {
    const tail = (await stderr).trim().split("\n").slice(-3).join(" | ");
    throw new SandboxRuntimeError(
      `Cannot start the Python sandbox (Pyodide ${source.version}): ${
        tail || `exit ${status.code}`
      }`,
    );
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
