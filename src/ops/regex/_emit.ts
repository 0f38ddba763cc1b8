/**
 * AST → JavaScript regex source that V8's linear-time engine accepts (no `u`, `i`, lookahead or
 * counted repetition above its limit), so with
 * `--enable-experimental-regexp-engine-on-excessive-backtracks` a pattern that backtracks too
 * much is rerun in linear time. Two renderings: `scan` runs over many lines at once and never
 * matches across a `\n`; `line` runs on one line. See docs/explanation/regex.md.
 *
 * @module
 */
import { type Edge, firstOf, type Node } from "./_ast.ts";
import { type CharSet, complement, emitSet, intersect, isEmpty, normalize } from "./_charset.ts";
import { PatternError } from "./_parse.ts";

/** The largest JS source a pattern may expand to (counted repetition is written out). */
export const MAX_SOURCE = 200_000;

/** What the emitter produced. */
export interface Emitted {
  scan: string;
  line: string;
  /** Whether a scan match may be a false positive that the line rendering must confirm. */
  verify: boolean;
}

interface Ctx {
  mode: "scan" | "line";
  /** Whether nothing follows this node in the whole pattern. */
  final: boolean;
  /** The nodes after this one in its sequence, and before it. */
  after: readonly Node[];
  before: readonly Node[];
  /** count mode: a `\b` may consume a character only if no match can start on it. */
  count: { first: Edge } | null;
  inBehind: boolean;
}

/** Render `ast`; `count` is set for `count mode=matches` (stricter rules for `\b`). */
export function emitPattern(ast: Node, options: { count: boolean }): Emitted {
  const state = { verify: false, size: 0 };
  const count = options.count ? { first: firstOf([ast]) } : null;
  const base = { final: true, after: [], before: [], count, inBehind: false };
  const scan = render(ast, { ...base, mode: "scan" }, state);
  const line = render(ast, { ...base, mode: "line" }, state);
  return { scan, line, verify: state.verify };
}

type State = { verify: boolean; size: number };

function render(node: Node, ctx: Ctx, state: State): string {
  const out = renderNode(node, ctx, state);
  state.size += out.length;
  if (out.length > MAX_SOURCE || state.size > 8 * MAX_SOURCE) {
    throw new PatternError(
      "unsupported",
      `a pattern this large once counted repetition is written out (over ${MAX_SOURCE} characters of regex)`,
    );
  }
  return out;
}

function renderNode(node: Node, ctx: Ctx, state: State): string {
  switch (node.t) {
    case "set":
      return emitSet(node.set);
    case "seq":
      return absorbBoundaries(node.items).map((item, i, items) =>
        render(item, {
          ...ctx,
          final: ctx.final && i === items.length - 1,
          after: items.slice(i + 1),
          before: items.slice(0, i),
        }, state)
      ).join("");
    case "alt":
      return `(?:${
        node.items.map((n) => render(n, { ...ctx, after: [], before: [] }, state)).join("|")
      })`;
    case "rep":
      if (node.body.t === "set" && node.max === Infinity && !node.lazy) {
        const loose = looseSet(node.body.set);
        if (loose !== null) return repeat(node, loose);
      }
      return repeat(node, render(node.body, inner(ctx), state));
    case "bol":
      return ctx.mode === "line" ? "^" : "(?<![^\\n])";
    case "eol":
      if (ctx.mode === "line") return "$";
      if (ctx.final) return "(?:\\n|$)";
      // Not last: the scan drops it (matching more), and each line found is checked.
      state.verify = true;
      return "";
    case "behind": {
      const body = render(node.body, { ...inner(ctx), inBehind: true }, state);
      return `(?<${node.negate ? "!" : "="}${body})`;
    }
    case "wb":
      return boundary(node, ctx);
  }
}

/**
 * A greedy unbounded repetition of a set holding every astral character (`.*`, `[^,]+`) may
 * run over UTF-16 code units: in well-formed text the units it takes are whole code points,
 * and where it stops inside a pair nothing after it can match (no set holds half a pair).
 * One class is much faster than the pair alternatives.
 */
function looseSet(set: CharSet): string | null {
  const astral: CharSet = [0x10000, 0x10ffff];
  if (!isEmpty(intersect(astral, complement(set)))) return null;
  const units = intersect(normalize([...set, 0xd800, 0xdfff]), [0, 0xffff]);
  const body = emitSet(units, true);
  return body;
}

/**
 * `\b` before one character that may be a word character or not (`\b[\w.-]+`, `\b.`): split
 * that character by kind, each with the lookbehind its kind needs.
 */
function absorbBoundaries(items: readonly Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const wb = items[i];
    const next = items[i + 1];
    const set = next?.t === "set"
      ? next.set
      : next?.t === "rep" && next.body.t === "set" && next.min >= 1
      ? next.body.set
      : null;
    if (wb.t !== "wb" || set === null || subset([...set], wb.word)) {
      out.push(wb);
      continue;
    }
    const nonW = complement(wb.word);
    if (subset([...set], nonW)) {
      out.push(wb);
      continue;
    }
    const word: Node = { t: "set", set: intersect(set, wb.word) };
    const other: Node = { t: "set", set: intersect(set, nonW) };
    const behind = (negate: boolean): Node => ({
      t: "behind",
      negate,
      body: { t: "set", set: wb.word },
    });
    // \b: a word character after a non-word one (or the start), or the reverse; \B: same kinds.
    out.push({
      t: "alt",
      items: [
        { t: "seq", items: [behind(!wb.negate), word] },
        { t: "seq", items: [behind(wb.negate), other] },
      ],
    });
    if (next.t === "rep") {
      const max = next.max === Infinity ? Infinity : next.max - 1;
      if (max > 0) out.push({ ...next, min: next.min - 1, max });
    }
    i++;
  }
  return out;
}

function inner(ctx: Ctx): Ctx {
  return { ...ctx, final: false, after: [], before: [] };
}

function repeat(node: Extract<Node, { t: "rep" }>, body: string): string {
  const b = `(?:${body})`;
  const lazy = node.lazy ? "?" : "";
  const { min, max } = node;
  if (min === 0 && max === Infinity) return `${b}*${lazy}`;
  if (min === 1 && max === Infinity) return `${b}+${lazy}`;
  if (min === 0 && max === 1) return `${b}?${lazy}`;
  const need = b.length * (max === Infinity ? min + 1 : max);
  if (need > MAX_SOURCE) {
    throw new PatternError(
      "unsupported",
      `the counted repetition {${min},${
        max === Infinity ? "" : max
      }} of this part: written out it exceeds ${MAX_SOURCE} characters of regex`,
    );
  }
  let out = b.repeat(min);
  if (max === Infinity) return `${out}${b}*${lazy}`;
  let opt = "";
  for (let k = min; k < max; k++) opt = `(?:${b}${opt})?${lazy}`;
  out += opt;
  return out;
}

const subset = (chars: number[], of: CharSet) => {
  const set = normalize(chars);
  return isEmpty(intersect(set, complement(of)));
};

/** `\b` / `\B` with lookbehind only: decided by the character after it where that is known. */
function boundary(node: Extract<Node, { t: "wb" }>, ctx: Ctx): string {
  const name = node.negate ? "\\B" : "\\b";
  const W = node.word;
  const nonW = complement(W);
  const prevW = `(?<=${emitSet(W)})`;
  const prevNonWOrStart = `(?<!${emitSet(W)})`;
  const prevNonW = `(?<=${emitSet(nonW)})`;
  if (ctx.inBehind) throw refuse(name, "inside a lookbehind");
  const next = firstOf(ctx.after);
  if (ctx.after[0]?.t === "eol") return node.negate ? prevNonW : prevW;
  if (!next.nullable) {
    if (subset(next.chars, W)) return node.negate ? prevW : prevNonWOrStart;
    if (subset(next.chars, nonW)) return node.negate ? prevNonWOrStart : prevW;
    throw refuse(name, "before a part that can start with a word or a non-word character");
  }
  if (ctx.after.length > 0 || !ctx.final) {
    throw refuse(name, "before an optional part of the pattern");
  }
  // Last in the pattern: consume the next character (or meet the end) to see what it is.
  const end = ctx.mode === "scan" ? "\\n|$" : "$";
  const nextNonW = `(?:${emitSet(nonW)}|${end})`;
  const nextW = emitSet(W);
  const prev = firstOf(ctx.before, true);
  if (!prev.nullable && subset(prev.chars, W)) {
    return consume(ctx, name, node.negate ? nextW : nextNonW, node.negate ? W : nonW);
  }
  if (!prev.nullable && subset(prev.chars, nonW)) {
    return consume(ctx, name, node.negate ? nextNonW : nextW, node.negate ? nonW : W);
  }
  if (ctx.count) throw refuse(name, "at the end of a pattern that may end in any character");
  const bol = "(?<![^\\n])";
  return node.negate
    ? `(?:${prevW}${nextW}|${prevNonW}${nextNonW}|${bol}${emitSet(nonW)})`
    : `(?:${prevW}${nextNonW}|${prevNonWOrStart}${nextW})`;
}

function consume(ctx: Ctx, name: string, text: string, eats: CharSet): string {
  if (ctx.count) {
    const { first } = ctx.count;
    if (first.nullable || !isEmpty(intersect(normalize(first.chars), eats))) {
      throw refuse(name, "at the end of a pattern whose next match could start right after it");
    }
  }
  return text;
}

function refuse(name: string, where: string): PatternError {
  return new PatternError(
    "unsupported",
    `${name} ${where} (it needs lookahead, which has no linear-time match here)`,
  );
}
