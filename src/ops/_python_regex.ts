/**
 * Python-style regular expressions (what models write) compiled to JavaScript regexes that
 * cannot hang: every accepted pattern is one V8's linear-time engine can run, so with the
 * `--enable-experimental-regexp-engine-on-excessive-backtracks` V8 flag a catastrophic pattern
 * falls back to linear time instead of backtracking for ever.
 *
 * Matching is per line: a match never crosses a newline, as in grep.
 *
 * @module
 */
import { OpError } from "./op_error.ts";

/** A compiled line pattern: a global, multiline JS regex. */
export interface LinePattern {
  /** The regex, flags `gm` (plus `s` never: `.` does not cross lines anyway). */
  regex: RegExp;
  /** The JS source it was translated to, for messages and tests. */
  source: string;
}

let linearEngine: boolean | undefined;
const LINEAR = "l";

/** Whether V8's linear-time regex engine is enabled in this process. */
export function hasLinearEngine(): boolean {
  if (linearEngine === undefined) {
    try {
      // The "l" (linear) flag exists only with --enable-experimental-regexp-engine.
      new RegExp("a", LINEAR);
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/**
 * Translate and compile a Python-style `pattern`. `op` and `arg` name the caller in errors.
 *
 * @example
 * ```ts
 * compileLinePattern("(?P<code>\\d{3}) ms", { ignoreCase: false, op: "grep", arg: "pattern" });
 * ```
 */
export function compileLinePattern(
  pattern: string,
  options: { ignoreCase: boolean; op: string; arg: string },
): LinePattern {
  const fail = (reason: string): never => {
    throw new OpError(options.op, options.arg, `${reason} in pattern ${JSON.stringify(pattern)}`);
  };
  if (!hasLinearEngine()) {
    throw new OpError(
      options.op,
      options.arg,
      "regex matching needs V8's linear-time engine: start Deno with --v8-flags=--enable-experimental-regexp-engine,--enable-experimental-regexp-engine-on-excessive-backtracks (the rlm CLI and tasks do)",
    );
  }
  const source = translate(pattern, options.ignoreCase, fail);
  try {
    new RegExp(source, LINEAR);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/linear time/.test(message)) {
      fail(
        "unsupported construct (lookahead or backreference): it cannot be matched in guaranteed linear time; rewrite without it, or use eval",
      );
    }
    fail(`invalid regex (${message.replace(/^Invalid regular expression: \/.*\/\w*: /, "")})`);
  }
  return { regex: new RegExp(source, "gm"), source };
}

type Fail = (reason: string) => never;

/** Translate Python syntax to JS syntax, folding case by hand when asked (V8's linear engine has no `i`). */
function translate(pattern: string, ignoreCaseArg: boolean, fail: Fail): string {
  let i = 0;
  let ignoreCase = ignoreCaseArg;
  let verbose = false;
  // Global inline flags, Python 3.11 style: only at the very start.
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(pattern.slice(i));
    if (!m) break;
    for (const f of m[1]) {
      if (f === "i") ignoreCase = true;
      else if (f === "x") verbose = true;
      else if (f === "L") fail("the L (locale) flag is not supported");
      // a, u: no effect (\d, \w are ASCII here); m: lines are matched one by one anyway; s: `.` never meets a newline in a line.
    }
    i += m[0].length;
  }
  const out: string[] = [];
  const caseStack: boolean[] = [];
  while (i < pattern.length) {
    const c = pattern[i];
    if (verbose && /\s/.test(c)) {
      i++;
      continue;
    }
    if (verbose && c === "#") {
      while (i < pattern.length && pattern[i] !== "\n") i++;
      continue;
    }
    if (c === "\\") {
      const [text, next] = escape(pattern, i, false, ignoreCase, fail);
      out.push(text);
      i = next;
      continue;
    }
    if (c === "[") {
      const [text, next] = charClass(pattern, i, ignoreCase, fail);
      out.push(text);
      i = next;
      continue;
    }
    if (c === "(") {
      const [text, next, scopedCase] = group(pattern, i, ignoreCase, fail);
      caseStack.push(ignoreCase);
      if (scopedCase !== undefined) ignoreCase = scopedCase;
      if (text === null) {
        // (?#comment): skipped whole, no group opened.
        ignoreCase = caseStack.pop() as boolean;
      } else out.push(text);
      i = next;
      continue;
    }
    if (c === ")") {
      if (caseStack.length === 0) fail("unbalanced parenthesis");
      ignoreCase = caseStack.pop() as boolean;
      out.push(c);
      i++;
      continue;
    }
    if (c === "{") {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i));
      if (m && (m[1] !== "" || m[3] !== "")) {
        out.push(`{${m[1] || "0"}${m[2]}${m[3]}}`);
        i += m[0].length;
        if (pattern[i] === "+") fail("possessive quantifiers are not supported");
        continue;
      }
      out.push("\\{");
      i++;
      continue;
    }
    if (
      (c === "+" || c === "*" || c === "?") && pattern[i + 1] === "+" &&
      /[+*?}]/.test(pattern[i - 1] ?? "") === false
    ) {
      // x++, x*+, x?+ : possessive (Python 3.11).
      fail("possessive quantifiers are not supported");
    }
    if (c === "\n") fail("a pattern cannot contain a newline (matching is line by line)");
    if (c === "}") {
      out.push("\\}");
      i++;
      continue;
    }
    if (c === "/") {
      out.push("\\/");
      i++;
      continue;
    }
    out.push(ignoreCase ? foldChar(c) : c);
    i++;
  }
  if (caseStack.length > 0) fail("missing closing parenthesis");
  return out.join("");
}

/** One escape outside or inside a class; returns the JS text and the next index. */
function escape(p: string, i: number, inClass: boolean, ic: boolean, fail: Fail): [string, number] {
  const e = p[i + 1];
  if (e === undefined) fail("a trailing backslash");
  switch (e) {
    case "A":
      if (inClass) fail("\\A inside a character class");
      return ["^", i + 2];
    case "Z":
      if (inClass) fail("\\Z inside a character class");
      return ["$", i + 2];
    case "s":
      // Whitespace except the newline, so a match never crosses lines.
      return [inClass ? SPACE_NO_NL : `[${SPACE_NO_NL}]`, i + 2];
    case "S":
      return ["\\S", i + 2];
    case "D":
      if (inClass) fail("\\D inside a character class");
      return ["[^\\d\\n]", i + 2];
    case "W":
      if (inClass) fail("\\W inside a character class");
      return ["[^\\w\\n]", i + 2];
    case "t":
    case "r":
    case "f":
    case "v":
      return [foldIf(false, { t: "\t", r: "\r", f: "\f", v: "\v" }[e], inClass, true), i + 2];
    case "b":
      return [inClass ? foldIf(false, "\b", true) : "\\b", i + 2];
    case "B":
      if (inClass) fail("\\B inside a character class");
      return ["\\B", i + 2];
    case "d":
    case "w":
      return [`\\${e}`, i + 2];
    case "n":
      fail("a pattern cannot match a newline (matching is line by line)");
      break;
    case "x": {
      const m = /^[0-9a-fA-F]{2}/.exec(p.slice(i + 2));
      if (!m) fail("\\x needs two hex digits");
      return [foldIf(ic, String.fromCharCode(parseInt(m![0], 16)), inClass), i + 4];
    }
    case "u":
    case "U": {
      const len = e === "u" ? 4 : 8;
      const hex = p.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`\\${e} needs ${len} hex digits`);
      const cp = parseInt(hex, 16);
      if (cp > 0xffff) fail("characters beyond U+FFFF are not supported in patterns");
      return [foldIf(ic, String.fromCharCode(cp), inClass), i + 2 + len];
    }
    case "N":
      fail("\\N{...} named characters are not supported");
      break;
    case "p":
    case "P":
      fail(`\\${e} is not Python syntax`);
      break;
    case "k":
      fail("backreferences are not supported (no linear-time match)");
      break;
    case "g":
      fail("\\g<...> is not supported");
  }
  if (/[1-9]/.test(e)) fail("backreferences are not supported (no linear-time match)");
  if (e === "0") return [foldIf(false, "\0", inClass, true), i + 2];
  if (/[a-zA-Z]/.test(e)) fail(`unknown escape \\${e}`);
  // An escaped punctuation character is itself.
  return [foldIf(ic, e, inClass, true), i + 2];
}

/** An escape inside a class that stands for one character (escape() renders those as \uHHHH). */
const SINGLE = /^\\u[0-9a-f]{4}$/;

const SPACE_NO_NL =
  " \\t\\r\\f\\v\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";

/** `[...]`: brackets translated, negated classes kept off the newline, letters folded if asked. */
function charClass(p: string, start: number, ic: boolean, fail: Fail): [string, number] {
  let i = start + 1;
  let negated = false;
  if (p[i] === "^") {
    negated = true;
    i++;
  }
  const parts: string[] = [];
  const singles: string[] = [];
  let first = true;
  while (i < p.length && (p[i] !== "]" || first)) {
    first = false;
    let lo: string;
    if (p[i] === "\\") {
      const [text, next] = escape(p, i, true, false, fail);
      i = next;
      if (!SINGLE.test(text)) {
        parts.push(text);
        continue;
      }
      lo = unescapeClassChar(text);
    } else if (p[i] === "[" && p[i + 1] === ":") {
      fail("POSIX classes like [:alpha:] are not Python syntax");
      lo = "";
    } else {
      lo = p[i];
      i++;
    }
    if (p[i] === "-" && p[i + 1] !== undefined && p[i + 1] !== "]") {
      let hi: string;
      if (p[i + 1] === "\\") {
        const [text, next] = escape(p, i + 1, true, false, fail);
        if (!SINGLE.test(text)) fail("a class escape cannot end a range");
        hi = unescapeClassChar(text);
        i = next;
      } else {
        hi = p[i + 1];
        i += 2;
      }
      if (hi < lo) fail(`bad character range ${lo}-${hi}`);
      parts.push(`${classChar(lo)}-${classChar(hi)}`);
      if (ic) parts.push(...foldRange(lo, hi));
      continue;
    }
    singles.push(lo);
  }
  if (i >= p.length) fail("missing ]");
  for (const s of singles) {
    parts.push(classChar(s));
    if (ic) {
      for (const v of variants(s)) if (v !== s) parts.push(classChar(v));
    }
  }
  const body = parts.join("");
  return [negated ? `[^${body}\\n]` : `[${body}]`, i + 1];
}

/** `(`: groups translated; returns the JS text (null to drop), the next index, and a scoped case flag. */
function group(
  p: string,
  i: number,
  ic: boolean,
  fail: Fail,
): [string | null, number, boolean | undefined] {
  if (p[i + 1] !== "?") return ["(", i + 1, undefined];
  const rest = p.slice(i + 2);
  if (rest.startsWith("P<")) {
    const m = /^P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (!m) fail("bad group name");
    return [`(?<${m![1]}>`, i + 2 + m![0].length, undefined];
  }
  if (rest.startsWith("P=")) fail("backreferences are not supported (no linear-time match)");
  if (rest.startsWith("#")) {
    const end = p.indexOf(")", i);
    if (end === -1) fail("missing ) after comment");
    return [null, end + 1, undefined];
  }
  if (rest.startsWith(":")) return ["(?:", i + 3, undefined];
  if (rest.startsWith("<=") || rest.startsWith("<!")) {
    return [`(?${rest.slice(0, 2)}`, i + 4, undefined];
  }
  if (rest.startsWith("<")) {
    const m = /^<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (m) return [`(?<${m[1]}>`, i + 2 + m[0].length, undefined];
  }
  if (rest.startsWith("=") || rest.startsWith("!")) {
    fail("lookahead is not supported (no linear-time match); match the text itself, or use eval");
  }
  if (rest.startsWith(">")) fail("atomic groups are not supported");
  if (rest.startsWith("(")) fail("conditional groups are not supported");
  const scoped = /^([aimsux]*)(?:-([imsx]+))?:/.exec(rest);
  if (scoped && (scoped[1] || scoped[2])) {
    let scopedCase: boolean | undefined;
    if (scoped[1].includes("i")) scopedCase = true;
    if (scoped[2]?.includes("i")) scopedCase = false;
    if (scoped[1].includes("x") || scoped[2]?.includes("x")) {
      fail("scoped verbose (?x:...) is not supported");
    }
    return ["(?:", i + 2 + scoped[0].length, scopedCase ?? ic];
  }
  if (/^[aiLmsux]+\)/.test(rest)) {
    fail("inline flags like (?i) must be at the very start of the pattern");
  }
  fail("unknown group syntax (?" + rest.slice(0, 3));
  return [null, i, undefined];
}

function variants(c: string): string[] {
  const lower = c.toLowerCase();
  const upper = c.toUpperCase();
  return [...new Set([c, lower, upper].filter((v) => v.length === 1))];
}

function foldChar(c: string): string {
  const vs = variants(c);
  if (vs.length === 1) return escapeLiteral(c);
  return `[${vs.map(classChar).join("")}]`;
}

function foldIf(ic: boolean, c: string, inClass: boolean, punct = false): string {
  if (inClass) return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  if (ic && !punct) return foldChar(c);
  return escapeLiteral(c);
}

function unescapeClassChar(text: string): string {
  return String.fromCharCode(parseInt(text.slice(2), 16));
}

function classChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20 || code > 0x7e) return `\\u${code.toString(16).padStart(4, "0")}`;
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}

function escapeLiteral(c: string): string {
  return /[\\^$.|?*+()[\]{}/]/.test(c) ? `\\${c}` : c;
}

/** The other-case ranges of the ASCII letters inside lo..hi. */
function foldRange(lo: string, hi: string): string[] {
  const out: string[] = [];
  const a = lo.charCodeAt(0);
  const b = hi.charCodeAt(0);
  const overlap = (from: number, to: number, shift: number) => {
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    if (s <= e) {
      out.push(
        `${classChar(String.fromCharCode(s + shift))}-${classChar(String.fromCharCode(e + shift))}`,
      );
    }
  };
  overlap(0x61, 0x7a, -32); // a-z → A-Z
  overlap(0x41, 0x5a, 32); // A-Z → a-z
  return out;
}
