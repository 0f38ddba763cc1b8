/**
 * Python `re` patterns, matched line by line with CPython's semantics: a line matches when
 * `re.search(pattern, line)` does, and its matches are those of `re.finditer`. The pattern is
 * parsed by our own sre-syntax parser and run by V8's regex engine in a form its linear-time
 * engine accepts, so a pattern that backtracks too much falls back to linear time
 * (docs/explanation/regex.md). Constructs we refuse are listed in docs/reference/ops.md.
 *
 * @module
 */
import { extents } from "./_ast.ts";
import { emitPattern } from "./_emit.ts";
import { parsePattern, PatternError } from "./_parse.ts";
import { OpError } from "../op_error.ts";

/** The longest pattern accepted, in code points. */
export const MAX_PATTERN = 10_000;

/** A compiled line pattern. */
export interface LinePattern {
  /** Global regex over a text of many lines; a match never crosses a `\n`. */
  scan: RegExp;
  /** Global regex over one line (no `\n` in it). */
  line: RegExp;
  /** Whether a line found by `scan` must be confirmed with `line`. */
  verify: boolean;
}

const LINEAR = "l";
let linearEngine: boolean | undefined;

/** Whether V8's linear-time regex engine is enabled in this process. */
export function hasLinearEngine(): boolean {
  if (linearEngine === undefined) {
    try {
      new RegExp("a", LINEAR);
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/** Options of `compileLinePattern`. */
export interface CompileOptions {
  /** `re.IGNORECASE`. */
  ignoreCase: boolean;
  /** The op and arg named in errors. */
  op: string;
  arg: string;
  /** For `count mode=matches`: refuse what would make the match count differ from finditer's. */
  count?: boolean;
}

/**
 * Parse and compile a Python-syntax `pattern`; throws `OpError` naming the construct refused.
 *
 * @example
 * ```ts
 * import { compileLinePattern } from "./line_pattern.ts";
 * const p = compileLinePattern("(?i)timed? ?out", { ignoreCase: false, op: "grep", arg: "pattern" });
 * p.scan.test("Request TIMED OUT"); // true
 * ```
 */
export function compileLinePattern(pattern: string, options: CompileOptions): LinePattern {
  const fail = (reason: string): never => {
    throw new OpError(
      options.op,
      options.arg,
      `${reason}; pattern ${JSON.stringify(short(pattern))}`,
    );
  };
  if (!hasLinearEngine()) {
    fail(
      "regex matching needs V8's linear-time engine: start Deno with --v8-flags=--enable-experimental-regexp-engine,--enable-experimental-regexp-engine-on-excessive-backtracks (the rlm CLI and tasks do)",
    );
  }
  let length = 0;
  for (const _ of pattern) if (++length > MAX_PATTERN) break;
  if (length > MAX_PATTERN) {
    fail(`a pattern longer than ${MAX_PATTERN} characters is not supported`);
  }
  try {
    const ast = parsePattern(pattern, { ignoreCase: options.ignoreCase });
    if (options.count) {
      const e = extents(ast);
      if (e.empty && e.nonEmpty) {
        fail(
          "count mode=matches does not support a pattern that can match both an empty and a non-empty string (like a* or a|b?): make it need at least one character (a+)",
        );
      }
    }
    const emitted = emitPattern(ast, { count: options.count ?? false });
    for (const source of [emitted.scan, emitted.line]) {
      // Guarantees the fallback to linear time exists for this pattern.
      new RegExp(source, LINEAR);
    }
    return {
      scan: new RegExp(emitted.scan, "g"),
      line: new RegExp(emitted.line, "g"),
      verify: emitted.verify,
    };
  } catch (error) {
    if (error instanceof OpError) throw error;
    if (error instanceof PatternError) {
      return fail(
        error.kind === "invalid"
          ? `invalid pattern (Python's re rejects it: ${error.message})`
          : `unsupported construct: ${error.message}`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return fail(`the pattern could not be compiled (${message.slice(0, 200)})`);
  }
}

function short(pattern: string): string {
  return pattern.length > 200 ? `${pattern.slice(0, 200)}...` : pattern;
}

/** Whether `i` falls between the two halves of a surrogate pair (no code point starts there). */
export function midPair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const p = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff;
}

/** Text scanned at once before the scan's speed is checked. */
const BLOCK = 64 * 1024;
/** Below this speed (chars per ms) a scan is backtracking; lines are then matched one by one. */
const SLOW = 20_000;

/**
 * [start, end) of each line of `text` that `p` matches, in order (a final "\n" ends no line).
 * The text is scanned in blocks of whole lines; once a block scans slowly (V8 counts
 * backtracks per call, so a long scan of a backtracking pattern falls back to the slow linear
 * engine), the rest is matched line by line, where each call backtracks little.
 */
export function matchingLineRanges(text: string, p: LinePattern): [number, number][] {
  const ranges: [number, number][] = [];
  for (const block of rangeBlocks(text, p)) for (const r of block) ranges.push(r);
  return ranges;
}

/** `matchingLineRanges`, one block of lines at a time (so a caller may stop between blocks). */
export function* rangeBlocks(text: string, p: LinePattern): Generator<[number, number][]> {
  let perLine = false;
  for (let from = 0; from < text.length;) {
    const ranges: [number, number][] = [];
    let to = from + BLOCK >= text.length ? text.length : text.indexOf("\n", from + BLOCK);
    to = to === -1 ? text.length : Math.min(text.length, to + 1);
    if (perLine) linesOneByOne(text, from, to, p, ranges);
    else {
      const t0 = performance.now();
      scanBlock(text, from, to, p, ranges);
      perLine = (to - from) / (performance.now() - t0 + 0.01) < SLOW;
    }
    from = to;
    yield ranges;
  }
}

function linesOneByOne(
  text: string,
  from: number,
  to: number,
  p: LinePattern,
  out: [number, number][],
): void {
  for (let s = from; s < to;) {
    let e = text.indexOf("\n", s);
    if (e === -1 || e > to) e = to;
    if (countIn(text.slice(s, e), p.line, true) > 0) out.push([s, e]);
    s = e + 1;
  }
}

/** Scan text[from, to) (whole lines) with the many-line regex. */
function scanBlock(
  text: string,
  from: number,
  to: number,
  p: LinePattern,
  out: [number, number][],
): void {
  const last = text.charCodeAt(to - 1) === 10 ? to - 1 : to;
  const regex = p.scan;
  regex.lastIndex = from;
  const block = to === text.length ? text : text.slice(0, to);
  while (regex.lastIndex <= last && to > from) {
    const m = regex.exec(block);
    if (m === null || m.index > last) break;
    if (midPair(text, m.index)) {
      regex.lastIndex = m.index + 1;
      continue;
    }
    const start = m.index === 0 ? 0 : text.lastIndexOf("\n", m.index - 1) + 1;
    let end = text.indexOf("\n", m.index);
    if (end === -1 || end > to) end = to;
    if (!p.verify || countIn(text.slice(start, end), p.line, true) > 0) out.push([start, end]);
    regex.lastIndex = end + 1;
  }
}

/** The number of `re.finditer` matches over every line of `text`. */
export function countMatches(text: string, p: LinePattern): number {
  return countInRanges(text, matchingLineRanges(text, p), p);
}

/** The number of `re.finditer` matches over the given lines of `text`. */
export function countInRanges(text: string, ranges: [number, number][], p: LinePattern): number {
  let n = 0;
  for (const [s, e] of ranges) n += countIn(text.slice(s, e), p.line, false);
  return n;
}

/** Matches of a global `regex` in one line, advancing past empty ones by a code point. */
function countIn(text: string, regex: RegExp, firstOnly: boolean): number {
  let n = 0;
  regex.lastIndex = 0;
  const end = text.length;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    const at = m.index;
    if (m[0] === "") regex.lastIndex = at + (isHigh(text.charCodeAt(at)) ? 2 : 1);
    if (midPair(text, at)) continue;
    n++;
    if (firstOnly) break;
    if (regex.lastIndex > end) break;
  }
  return n;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
