/**
 * The texts the differential suites compare rlm against: a bounded, deterministic sample of real
 * text files on this machine, and generated adversarial files (CRLF, no final newline, NUL bytes,
 * invalid UTF-8, astral characters, a 3 MB line, lone `\r`, U+2028, byte-order marks, Python-only
 * whitespace). Also rlm's side: each file bound as `rlm` binds a context file, and the ops run
 * through the real plan runner and local executor.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readContexts } from "../../src/exec/context_files.ts";
import { createLocalExecutor } from "../../src/exec/local/local_executor.ts";
import { parsePlan } from "../../src/exec/parse_plan.ts";
import { runPlan } from "../../src/exec/run_plan.ts";

/** `slice` ranges checked on every file ([start, end]; null: to the end). */
export const SLICES: [number, number | null][] = [[0, 10], [-10, null], [5, -5], [100, 200]];
/** `lines` ranges checked on every file (1-based, inclusive; negative from the end). */
export const LINE_RANGES: [number, number][] = [[1, 5], [10, 20], [-3, -1], [2, 2]];

const enc = new TextEncoder();
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...enc.encode(p)] : p)));

/** Generated adversarial files, by name: the same bytes on every machine. */
export function adversarialFiles(): Record<string, Uint8Array> {
  return {
    "empty": bytes(""),
    "only_newlines": bytes("\n\n\n"),
    "crlf": bytes("a b\r\nc\r\n\r\nd\r\n"),
    "no_final_newline": bytes("one\ntwo words"),
    "nul_bytes": bytes("a\0b\n\0\n\0"),
    "invalid_utf8": bytes(
      "a",
      [0xff, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82, 0x0a, 0xed, 0xa0, 0x80, 0x0a],
      [0xf4, 0x90, 0x80, 0x80, 0x20, 0xc0, 0xaf, 0x0a, 0xf0, 0x9f, 0x98],
    ),
    "astral": bytes("😀 𝄞\n😀😀x\n🏳️‍🌈 family 👨‍👩‍👧\n"),
    "long_line": bytes("ab😀 ".repeat(750_000), "\nshort\n"),
    "lone_cr": bytes("a\rb\rc\n\r\n\r"),
    "unicode_line_seps": bytes("a\u2028b\u2029c\u0085d\x0be\x0cf\n"),
    "bom": bytes("\ufeffa b\n"),
    "bom_only": bytes("\ufeff"),
    "bom_newline": bytes("\ufeff\n"),
    "bom_then_space": bytes("\ufeff x\n"),
    "bom_inside": bytes("a\ufeffb \ufeff c\n"),
    "python_only_whitespace": bytes("a\x1cb\x1dc\x1ed\x1fe\n"),
    "unicode_spaces": bytes("a\u00a0b\u3000c\u2000d\u200ae\u202ff\u1680g\u200bh\n"),
    "replacement_char": bytes("a\ufffdb\n", [0xff], "\n"),
    "mixed": mixed(),
  };
}

/** 20 000 seeded characters drawn from the hard cases, so they meet in every order. */
function mixed(): Uint8Array {
  const units = ["a", "b", " ", "\n", "\r", "\r\n", "\t", "😀", "é", "\u2028", "\u0085", "\x1c"];
  let seed = 12345;
  const out: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(units[(seed >>> 16) % units.length]);
  }
  return bytes(out.join(""), [0xfe], "\n", [0xe2, 0x80]);
}

/** Write the adversarial files into `dir`; returns name → path. */
export async function writeAdversarialFiles(dir: string): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const [name, data] of Object.entries(adversarialFiles())) {
    const path = `${dir}/${name}.txt`;
    await Deno.writeFile(path, data);
    paths.set(name, path);
  }
  return paths;
}

const SKIP = /\.(gz|bz2|xz|zst|zip|pyc|png|jpg|gif|so)$/;

/**
 * A deterministic sample of real text files on this machine: every file under
 * /usr/share/doc and /usr/lib/python3.* of at most `maxBytes`, sorted, then every k-th up to
 * `count`. Empty when neither folder exists.
 */
export async function realTextFiles(count = 150, maxBytes = 2_000_000): Promise<string[]> {
  const found: string[] = [];
  const roots = ["/usr/share/doc"];
  for await (const e of readDirSafe("/usr/lib")) {
    if (/^python3\.\d+$/.test(e.name)) roots.push(`/usr/lib/${e.name}`);
  }
  for (const root of roots) await walk(root, found, maxBytes);
  found.sort();
  const step = Math.max(1, Math.floor(found.length / count));
  return found.filter((_, i) => i % step === 0).slice(0, count);
}

async function walk(dir: string, out: string[], maxBytes: number): Promise<void> {
  for await (const e of readDirSafe(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) await walk(path, out, maxBytes);
    else if (e.isFile && !SKIP.test(e.name) && (await Deno.stat(path)).size <= maxBytes) {
      out.push(path);
    }
  }
}

async function* readDirSafe(dir: string): AsyncGenerator<Deno.DirEntry> {
  try {
    for await (const e of Deno.readDir(dir)) yield e;
  } catch {
    return;
  }
}

/** What rlm says about one file: counts, and sha256 of each slice, line range and chunking. */
export interface Observed {
  lines: number;
  chars: number;
  words: number;
  slices: string[];
  lineRanges: string[];
  /** sha256 of the `chunk size 1000` pieces joined, and whether each piece fits and is whole. */
  chunkJoined: string;
  chunkOk: boolean;
}

/** sha256 hex of text's UTF-8. */
export function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Run rlm's ops on the file at `path`, bound as a context file is bound by the CLI. */
export async function observe(path: string): Promise<Observed> {
  const operations = [
    ...["lines", "chars", "words"].map((mode) => ({
      op: "count",
      args: { input: "context", mode },
    })),
    ...SLICES.map(([start, end]) => ({
      op: "slice",
      args: end === null ? { input: "context", start } : { input: "context", start, end },
    })),
    ...LINE_RANGES.map(([start, end]) => ({ op: "lines", args: { input: "context", start, end } })),
    { op: "chunk", args: { input: "context", size: 1000 } },
  ].map((op, i) => ({ ...op, bind: `r${i}` }));
  const env = await readContexts([path]);
  await runPlan(parsePlan({ operations }), env, { executor: createLocalExecutor({}) });
  const value = (i: number) => env.get(`r${i}`)?.value as string;
  const pieces = env.get(`r${operations.length - 1}`)?.value as string[];
  const s = SLICES.length;
  return {
    lines: Number(value(0)),
    chars: Number(value(1)),
    words: Number(value(2)),
    slices: SLICES.map((_, k) => sha(value(3 + k))),
    lineRanges: LINE_RANGES.map((_, k) => sha(value(3 + s + k))),
    chunkJoined: sha(pieces.join("")),
    chunkOk: pieces.every((p) =>
      Array.from(p).length <= 1000 && !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)
    ),
  };
}
