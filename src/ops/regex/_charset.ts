/**
 * Sets of code points as sorted inclusive ranges, CPython's Unicode tables (generated from the
 * oracle by tools/gen_regex_tables.py), case folding as `re.IGNORECASE` does it, and the JS
 * regex text (no `u` flag: astral characters as surrogate pairs) matching one member.
 *
 * @module
 */
import tables from "./_unicode_tables.json" with { type: "json" };

/** Code points as a flat sorted list of inclusive, non-adjacent `[lo, hi]` pairs. */
export type CharSet = readonly number[];

/** The largest code point. */
export const MAX_CP = 0x10ffff;
const NL = 0x0a;

/** The set of the given ranges (any order, overlapping allowed). */
export function normalize(pairs: readonly number[]): CharSet {
  const rs: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) rs.push([pairs[i], pairs[i + 1]]);
  rs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of rs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

/** a ∪ b. */
export const union = (a: CharSet, b: CharSet): CharSet => normalize([...a, ...b]);

/** Every code point not in `a`. */
export function complement(a: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < a.length; i += 2) {
    if (a[i] > next) out.push(next, a[i] - 1);
    next = a[i + 1] + 1;
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

/** a ∩ b. */
export const intersect = (a: CharSet, b: CharSet): CharSet =>
  complement(union(complement(a), complement(b)));

/** Whether `c` is in `a`. */
export function has(a: CharSet, c: number): boolean {
  let lo = 0;
  let hi = a.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < a[2 * mid]) hi = mid - 1;
    else if (c > a[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether `a` has no member. */
export const isEmpty = (a: CharSet): boolean => a.length === 0;

/** The sets `\d`, `\w`, `\s` stand for, Unicode (CPython's tables) or ASCII (`(?a)`). */
export const CATEGORY: Record<"d" | "w" | "s", { unicode: CharSet; ascii: CharSet }> = {
  d: { unicode: tables.digit, ascii: [0x30, 0x39] },
  w: { unicode: tables.word, ascii: normalize([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]) },
  s: { unicode: tables.space, ascii: normalize([0x09, 0x0d, 0x20, 0x20]) },
};

function mapOf(runs: number[][]): Map<number, number> {
  const m = new Map<number, number>();
  for (const [start, count, stride, delta] of runs) {
    for (let k = 0; k < count; k++) m.set(start + k * stride, start + k * stride + delta);
  }
  return m;
}

const LOWER = mapOf(tables.lower);
const UPPER = mapOf(tables.upper);
const FIXES = new Map(tables.fixes.map(([k, ...v]) => [k, v]));
const CASED: CharSet = tables.cased;

/** How `re.IGNORECASE` compares characters: the Unicode tables, or ASCII only under `(?a)`. */
export interface CaseRules {
  lower(c: number): number;
  cased(c: number): boolean;
  /** Characters `re` also treats as equal to a lower-case one (`re._compiler._EXTRA_CASES`). */
  fixes(lo: number): readonly number[];
  /** Every `c` with `lower(c)` in `targets`. */
  preimage(targets: CharSet): CharSet;
}

const isAsciiUpper = (c: number) => c >= 0x41 && c <= 0x5a;

/** Case rules for Unicode (default) or ASCII (`(?a)`) str patterns. */
function caseRules(ascii: boolean): CaseRules {
  if (ascii) {
    return {
      lower: (c) => isAsciiUpper(c) ? c + 32 : c,
      cased: (c) => isAsciiUpper(c) || (c >= 0x61 && c <= 0x7a),
      fixes: () => [],
      preimage: (t) =>
        union(
          intersect(t, complement([0x41, 0x5a])),
          normalize(shiftRange(intersect(t, [0x61, 0x7a]), -32)),
        ),
    };
  }
  return {
    lower: (c) => LOWER.get(c) ?? c,
    cased: (c) => has(CASED, c),
    fixes: (lo) => FIXES.get(lo) ?? [],
    preimage: (t) => preimageOf(LOWER, t),
  };
}

function shiftRange(a: CharSet, by: number): number[] {
  return a.map((c) => c + by);
}

/** {c : map(c) ∈ t} where `map` is the identity outside its keys. */
function preimageOf(map: Map<number, number>, t: CharSet): CharSet {
  const keys: number[] = [];
  const extra: number[] = [];
  for (const [c, to] of map) {
    keys.push(c, c);
    if (has(t, to)) extra.push(c, c);
  }
  return union(intersect(t, complement(normalize(keys))), normalize(extra));
}

/** {c : upper(c) ∈ t} (for CPython's RANGE_UNI_IGNORE test on astral ranges). */
export const upperPreimage = (t: CharSet): CharSet => preimageOf(UPPER, t);

/** lower(c) for every c in `a`: the members that have no other lower case, plus the lowered rest. */
export function lowerImage(a: CharSet, rules: CaseRules): CharSet {
  if (rules === ASCII_RULES) {
    return union(a, normalize(shiftRange(intersect(a, [0x41, 0x5a]), 32)));
  }
  const keys: number[] = [];
  const moved: number[] = [];
  for (const [c, to] of LOWER) {
    if (!has(a, c)) continue;
    keys.push(c, c);
    moved.push(to, to);
  }
  return union(intersect(a, complement(normalize(keys))), normalize(moved));
}

/** `a` plus the extra case equivalents (`_EXTRA_CASES`) of its members. */
export function withFixes(a: CharSet, rules: CaseRules): CharSet {
  const out: number[] = [...a];
  for (const k of FIXES.keys()) {
    if (has(a, k)) { for (const v of rules.fixes(k)) out.push(v, v); }
  }
  return normalize(out);
}

const ASCII_RULES = caseRules(true);
const UNICODE_RULES = caseRules(false);
/** The case rules of a pattern: ASCII under `(?a)`, else Unicode. */
export const rulesFor = (ascii: boolean): CaseRules => ascii ? ASCII_RULES : UNICODE_RULES;

function hex4(c: number): string {
  return "\\u" + c.toString(16).padStart(4, "0");
}

function classChar(c: number): string {
  if (c >= 0x30 && c <= 0x39 || c >= 0x41 && c <= 0x5a || c >= 0x61 && c <= 0x7a) {
    return String.fromCharCode(c);
  }
  return hex4(c);
}

/** One BMP code point as a regex literal. */
function literal(c: number): string {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9 _=:,;'"<>@#%&~`-]/.test(ch)) return ch;
  return hex4(c);
}

function classBody(pairs: number[]): string {
  let s = "";
  for (let i = 0; i < pairs.length; i += 2) {
    const [lo, hi] = [pairs[i], pairs[i + 1]];
    s += lo === hi ? classChar(lo) : `${classChar(lo)}${hi > lo + 1 ? "-" : ""}${classChar(hi)}`;
  }
  return s;
}

/**
 * JS regex text (no `u` flag) that matches exactly one code point of `set`, never a newline or
 * half of a surrogate pair (with `units`, surrogates in the set are kept as code units). An
 * empty set gives `[]`, which matches nothing.
 */
export function emitSet(set: CharSet, units = false): string {
  const s = intersect(set, complement(units ? [NL, NL] : [NL, NL, 0xd800, 0xdfff]));
  const bmp = intersect(s, [0, 0xffff]);
  const astral = intersect(s, [0x10000, MAX_CP]);
  if (astral.length === 0 && bmp.length === 2 && bmp[0] === bmp[1]) return literal(bmp[0]);
  const parts: string[] = [];
  if (bmp.length > 0) {
    const neg = intersect(complement(bmp), [0, 0xffff]);
    parts.push(
      neg.length < bmp.length ? `[^${classBody([...neg])}]` : `[${classBody([...bmp])}]`,
    );
  }
  parts.push(...astralParts(astral));
  if (parts.length === 0) return "[]";
  return parts.length === 1 ? parts[0] : `(?:${parts.join("|")})`;
}

/** Surrogate-pair alternatives for astral ranges: `\uD83D[\uDE00-\uDE4F]`, ... */
function astralParts(astral: CharSet): string[] {
  const byLow = new Map<string, number[]>();
  const add = (hi: number, loA: number, loB: number) => {
    const key = classBody([loA, loB]);
    const his = byLow.get(key) ?? [];
    his.push(hi, hi);
    byLow.set(key, his);
  };
  for (let i = 0; i < astral.length; i += 2) {
    for (let c = astral[i]; c <= astral[i + 1];) {
      const hi = 0xd800 + ((c - 0x10000) >> 10);
      const blockEnd = 0x10000 + ((hi - 0xd800 + 1) << 10) - 1;
      const end = Math.min(astral[i + 1], blockEnd);
      add(hi, 0xdc00 + ((c - 0x10000) & 0x3ff), 0xdc00 + ((end - 0x10000) & 0x3ff));
      c = end + 1;
    }
  }
  return [...byLow].map(([low, his]) => `[${classBody([...normalize(his)])}][${low}]`);
}
