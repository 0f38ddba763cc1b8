/**
 * A parser for CPython 3.11's `re` syntax (str patterns), modelled on `Lib/re/_parser.py`: the
 * same escapes, octal rules, quantifier forms (`{,n}`, `{,}`, `{` as a literal), inline and
 * scoped flags, verbose mode, and the same errors for what `re.compile` rejects. Constructs
 * with no linear-time match are refused with an error naming them (docs/reference/ops.md).
 *
 * @module
 */
import type { Node } from "./_ast.ts";
import { width } from "./_ast.ts";
import { type CharSet, normalize } from "./_charset.ts";
import { type ClassItem, classSet, literalSet, type SetFlags } from "./_sets.ts";

/** Thrown for a pattern `re.compile` rejects (`invalid`) or one we refuse (`unsupported`). */
export class PatternError extends Error {
  constructor(readonly kind: "invalid" | "unsupported", message: string) {
    super(message);
    this.name = "PatternError";
  }
}

/** The flags a pattern starts with (`ignore_case` is `re.IGNORECASE`). */
export interface ParseOptions {
  ignoreCase: boolean;
}

/** The deepest group nesting accepted (CPython has no such limit; ours keeps parsing bounded). */
export const MAX_DEPTH = 200;

interface Flags extends SetFlags {
  verbose: boolean;
}

class Verbose extends Error {}

const DIGITS = /^[0-9]$/;
const OCT = /^[0-7]$/;
const HEX = /^[0-9a-fA-F]$/;
const LETTER = /^[a-zA-Z]$/;
const WHITESPACE = " \t\n\r\v\f";
const SIMPLE: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
};

/** Parse `pattern` into an AST; throws PatternError. */
export function parsePattern(pattern: string, options: ParseOptions): Node {
  const base = { ignoreCase: options.ignoreCase, ascii: false, verbose: false };
  try {
    return new Parser(pattern, base).parseAll();
  } catch (error) {
    if (!(error instanceof Verbose)) throw error;
    return new Parser(pattern, { ...base, verbose: true }).parseAll();
  }
}

class Parser {
  private readonly src: string[];
  private pos = 0;
  private depth = 0;
  private readonly names = new Set<string>();

  constructor(pattern: string, private flags: Flags) {
    this.src = Array.from(pattern);
  }

  parseAll(): Node {
    const node = this.alternation(true);
    if (this.pos < this.src.length) {
      throw this.invalid(this.peek() === ")" ? "unbalanced parenthesis" : "unexpected end");
    }
    return node;
  }

  private peek(k = 0): string | undefined {
    return this.src[this.pos + k];
  }

  private invalid(reason: string): PatternError {
    return new PatternError("invalid", `${reason} at position ${this.pos}`);
  }

  private unsupported(what: string): PatternError {
    return new PatternError("unsupported", what);
  }

  private alternation(top: boolean): Node {
    const items = [this.sequence(top)];
    while (this.peek() === "|") {
      this.pos++;
      items.push(this.sequence(false));
    }
    return items.length === 1 ? items[0] : { t: "alt", items };
  }

  private skipVerbose(): void {
    for (;;) {
      const c = this.peek();
      if (c !== undefined && WHITESPACE.includes(c)) this.pos++;
      else if (c === "#") {
        while (this.peek() !== undefined && this.peek() !== "\n") this.pos++;
      } else return;
    }
  }

  private sequence(top: boolean): Node {
    const items: Node[] = [];
    // "first" as in CPython: global flags are allowed only before anything else.
    let first = top;
    for (;;) {
      if (this.flags.verbose) this.skipVerbose();
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") break;
      if ("*+?{".includes(c) && !(c === "{" && !this.isQuantifier())) {
        this.quantify(items);
        continue;
      }
      const atom = this.atom(first && items.length === 0);
      if (atom === "flags" || atom === null) continue;
      first = false;
      items.push(atom);
    }
    return items.length === 1 ? items[0] : { t: "seq", items };
  }

  /** The `{m,n}` at the cursor as [min text, comma, max text, length], or null for a literal `{`. */
  private braces(): [string, boolean, string, number] | null {
    let i = this.pos + 1;
    if (this.src[i] === "}") return null;
    let lo = "";
    let hi = "";
    while (DIGITS.test(this.src[i] ?? "")) lo += this.src[i++];
    const comma = this.src[i] === ",";
    if (comma) {
      i++;
      while (DIGITS.test(this.src[i] ?? "")) hi += this.src[i++];
    }
    if (this.src[i] !== "}") return null;
    return [lo, comma, hi, i + 1 - this.pos];
  }

  private isQuantifier(): boolean {
    return this.braces() !== null;
  }

  private quantify(items: Node[]): void {
    const start = this.pos;
    const c = this.src[this.pos++];
    let [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
    if (c === "{") {
      this.pos = start;
      const [lo, comma, hi, length] = this.braces()!;
      this.pos = start + length;
      min = lo ? Number(lo) : 0;
      max = comma ? (hi ? Number(hi) : Infinity) : min;
      if (min >= 4294967295 || (max !== Infinity && max >= 4294967295)) {
        throw this.invalid("the repetition number is too large");
      }
      if (max < min) throw this.invalid("min repeat greater than max repeat");
    }
    const last = items[items.length - 1];
    if (last === undefined || last.t === "bol" || last.t === "eol" || last.t === "wb") {
      this.pos = start;
      throw this.invalid("nothing to repeat");
    }
    if (last.t === "rep" && !(last as { group?: boolean }).group) {
      this.pos = start;
      throw this.invalid("multiple repeat");
    }
    if (last.t === "behind") throw this.unsupported("a repeated lookbehind");
    let lazy = false;
    if (this.peek() === "?") {
      lazy = true;
      this.pos++;
    } else if (this.peek() === "+") {
      throw this.unsupported(`the possessive quantifier ${c === "{" ? "{m,n}" : c}+`);
    }
    items[items.length - 1] = { t: "rep", body: last, min, max, lazy };
  }

  /** One atom; null for something that matches nothing to record (a comment). */
  private atom(canSetGlobal: boolean): Node | null | "flags" {
    const c = this.src[this.pos++];
    switch (c) {
      case ".":
        return { t: "set", set: normalize([0, 9, 11, 0x10ffff]) };
      case "^":
        return { t: "bol" };
      case "$":
        return { t: "eol" };
      case "[":
        return this.charClass();
      case "(":
        return this.group(canSetGlobal);
      case "\\":
        return this.escape();
      default:
        return { t: "set", set: literalSet(c.codePointAt(0)!, this.flags) };
    }
  }

  private escape(): Node {
    const e = this.src[this.pos++];
    if (e === undefined) throw this.invalid("bad escape (end of pattern)");
    const word = classSet([{ t: "cat", cat: "w", negate: false }], false, this.flags);
    switch (e) {
      case "A":
        return { t: "bol" };
      case "Z":
        return { t: "eol" };
      case "b":
      case "B":
        return { t: "wb", negate: e === "B", word };
      case "d":
      case "D":
      case "s":
      case "S":
      case "w":
      case "W":
        return { t: "set", set: classSet([this.category(e)], false, this.flags, true) };
    }
    if (DIGITS.test(e) && e !== "0") {
      const d2 = this.peek();
      if (d2 !== undefined && DIGITS.test(d2)) {
        if (OCT.test(e) && OCT.test(d2) && OCT.test(this.peek(1) ?? "")) {
          this.pos += 2;
          return this.literal(this.octal(e + d2 + this.src[this.pos - 1]));
        }
      }
      throw this.unsupported(`the backreference \\${e}`);
    }
    return this.literal(this.escapedChar(e, false));
  }

  private literal(cp: number): Node {
    return { t: "set", set: literalSet(cp, this.flags) };
  }

  private category(e: string): ClassItem {
    return { t: "cat", cat: e.toLowerCase() as "d" | "s" | "w", negate: e !== e.toLowerCase() };
  }

  private octal(digits: string): number {
    const v = parseInt(digits, 8);
    if (v > 0o377) throw this.invalid(`octal escape value \\${digits} outside of range 0-0o377`);
    return v;
  }

  /** A one-character escape after `\` (outside or inside a class), as its code point. */
  private escapedChar(e: string, inClass: boolean): number {
    if (SIMPLE[e] !== undefined && !(e === "b" && !inClass)) return SIMPLE[e];
    if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      let hex = "";
      while (hex.length < n && HEX.test(this.peek() ?? "")) hex += this.src[this.pos++];
      if (hex.length !== n) throw this.invalid(`incomplete escape \\${e}${hex}`);
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw this.invalid(`bad escape \\${e}${hex}`);
      return cp;
    }
    if (e === "N") throw this.unsupported("the named character escape \\N{...}");
    if (e === "0" || (inClass && OCT.test(e))) {
      let digits = e;
      while (digits.length < 3 && OCT.test(this.peek() ?? "")) digits += this.src[this.pos++];
      return this.octal(digits);
    }
    if (DIGITS.test(e) || LETTER.test(e)) throw this.invalid(`bad escape \\${e}`);
    return e.codePointAt(0)!;
  }

  private charClass(): Node {
    const negate = this.peek() === "^";
    if (negate) this.pos++;
    const items: ClassItem[] = [];
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined) throw this.invalid("unterminated character set");
      if (c === "]" && items.length > 0) break;
      const lo = this.classAtom(c);
      if (this.peek() === "-") {
        this.pos++;
        const d = this.src[this.pos++];
        if (d === undefined) throw this.invalid("unterminated character set");
        if (d === "]") {
          items.push(lo, { t: "char", cp: 45 });
          break;
        }
        const hi = this.classAtom(d);
        if (lo.t !== "char" || hi.t !== "char" || hi.cp < lo.cp) {
          throw this.invalid(`bad character range`);
        }
        items.push({ t: "range", lo: lo.cp, hi: hi.cp });
      } else items.push(lo);
    }
    const only = items.length === 1 ? items[0] : undefined;
    if (only?.t === "char" || (items.length > 1 && items.every((i) => sameChar(i, items[0])))) {
      // CPython turns a one-character class into a (negated) literal.
      const set = literalSet((items[0] as { cp: number }).cp, this.flags);
      return { t: "set", set: negate ? complementSet(set) : set };
    }
    return { t: "set", set: classSet(items, negate, this.flags) };
  }

  private classAtom(c: string): ClassItem {
    if (c !== "\\") return { t: "char", cp: c.codePointAt(0)! };
    const e = this.src[this.pos++];
    if (e === undefined) throw this.invalid("bad escape (end of pattern)");
    if ("dDsSwW".includes(e)) return this.category(e);
    return { t: "char", cp: this.escapedChar(e, true) };
  }

  private group(canSetGlobal: boolean): Node | null | "flags" {
    if (this.peek() !== "?") return this.groupBody();
    this.pos++;
    const c = this.src[this.pos++];
    if (c === "P") {
      const d = this.src[this.pos++];
      if (d === "<") {
        const name = this.name(">");
        if (this.names.has(name)) throw this.invalid(`redefinition of group name '${name}'`);
        this.names.add(name);
        return this.groupBody();
      }
      if (d === "=") throw this.unsupported("the backreference (?P=name)");
      throw this.invalid(`unknown extension ?P${d ?? ""}`);
    }
    if (c === ":") return this.groupBody();
    if (c === "#") {
      while (this.peek() !== undefined && this.peek() !== ")") this.pos++;
      if (this.src[this.pos++] === undefined) throw this.invalid("missing ), unterminated comment");
      return null;
    }
    if (c === "=" || c === "!") throw this.unsupported(`the lookahead (?${c}...)`);
    if (c === "<" && (this.peek() === "=" || this.peek() === "!")) {
      const negate = this.src[this.pos++] === "!";
      const body = this.groupBody();
      const [lo, hi] = width(body);
      if (lo !== hi) throw this.invalid("look-behind requires fixed-width pattern");
      return { t: "behind", body, negate };
    }
    if (c === "(") throw this.unsupported("the conditional group (?(...)...)");
    if (c === ">") throw this.unsupported("the atomic group (?>...)");
    this.pos--;
    return this.flagGroup(canSetGlobal);
  }

  private name(end: string): string {
    let name = "";
    while (this.peek() !== undefined && this.peek() !== end) name += this.src[this.pos++];
    if (this.src[this.pos++] === undefined) throw this.invalid("missing >, unterminated name");
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
      throw this.invalid(`bad character in group name '${name}'`);
    }
    return name;
  }

  private groupBody(): Node {
    if (++this.depth > MAX_DEPTH) {
      throw this.unsupported(`groups nested deeper than ${MAX_DEPTH}`);
    }
    const saved = this.flags;
    const body = this.alternation(false);
    this.flags = saved;
    if (this.src[this.pos++] !== ")") throw this.invalid("missing ), unterminated subpattern");
    this.depth--;
    // A group may be repeated even if its content is a repetition.
    const wrap = ["rep", "bol", "eol", "wb", "behind"].includes(body.t);
    return wrap ? { t: "seq", items: [body] } : body;
  }

  private flagGroup(canSetGlobal: boolean): Node | "flags" {
    const on = this.takeFlags();
    let off = "";
    if (this.peek() === "-") {
      this.pos++;
      off = this.takeFlags();
      if (off === "") throw this.invalid("missing flag");
      if (/[aLu]/.test(off)) {
        throw this.invalid("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      }
    }
    const end = this.src[this.pos++];
    for (const f of off) {
      if (on.includes(f)) throw this.invalid("bad inline flags: flag turned on and off");
    }
    if (end === ":" && /[au]/.test(on)) {
      throw this.unsupported(
        `the scoped flag (?${on}:...): CPython 3.11 applies (?a:...) and (?u:...) inconsistently; put (?a) at the start instead`,
      );
    }
    if (on.includes("L")) {
      throw this.invalid("bad inline flags: cannot use 'L' flag with a str pattern");
    }
    if (on.includes("a") && on.includes("u")) {
      throw this.invalid("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
    }
    if (end === ")" && off === "" && on !== "") {
      if (!canSetGlobal) throw this.invalid("global flags not at the start of the expression");
      if (on.includes("x") && !this.flags.verbose) throw new Verbose();
      this.flags = this.apply(this.flags, on, "");
      return "flags";
    }
    if (end !== ":") {
      throw this.invalid(end === undefined ? "missing -, : or )" : `unknown flag`);
    }
    const saved = this.flags;
    this.flags = this.apply(this.flags, on, off);
    const body = this.groupBody();
    this.flags = saved;
    return body;
  }

  private takeFlags(): string {
    let s = "";
    while (/^[aiLmsux]$/.test(this.peek() ?? "")) s += this.src[this.pos++];
    return s;
  }

  private apply(f: Flags, on: string, off: string): Flags {
    return {
      ignoreCase: off.includes("i") ? false : f.ignoreCase || on.includes("i"),
      ascii: on.includes("u") ? false : f.ascii || on.includes("a"),
      verbose: off.includes("x") ? false : f.verbose || on.includes("x"),
    };
  }
}

function sameChar(a: ClassItem, b: ClassItem): boolean {
  return a.t === "char" && b.t === "char" && a.cp === b.cp;
}

function complementSet(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i] > next) out.push(next, set[i] - 1);
    next = set[i + 1] + 1;
  }
  if (next <= 0x10ffff) out.push(next, 0x10ffff);
  return out;
}
