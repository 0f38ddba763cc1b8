/**
 * The code points a literal or a `[...]` class matches under a pattern's flags, computed the way
 * CPython 3.11 compiles them (`Lib/re/_compiler.py` `_compile` and `_optimize_charset`): with
 * `re.IGNORECASE` a subject character is lower-cased before the test, and the class holds the
 * lower case of its members plus their `_EXTRA_CASES`.
 *
 * @module
 */
import {
  CATEGORY,
  type CharSet,
  complement,
  intersect,
  lowerImage,
  normalize,
  rulesFor,
  union,
  upperPreimage,
  withFixes,
} from "./_charset.ts";

/** The flags that decide what a character set matches. */
export interface SetFlags {
  ignoreCase: boolean;
  /** `(?a)`: `\d`, `\w`, `\s`, `\b` and case folding are ASCII only. */
  ascii: boolean;
}

/** One member of a `[...]` class. */
export type ClassItem =
  | { t: "char"; cp: number }
  | { t: "range"; lo: number; hi: number }
  | { t: "cat"; cat: "d" | "s" | "w"; negate: boolean };

/** The set a literal character matches (CPython's LITERAL / LITERAL_UNI_IGNORE). */
export function literalSet(cp: number, flags: SetFlags): CharSet {
  const rules = rulesFor(flags.ascii);
  if (!flags.ignoreCase || !rules.cased(cp)) return [cp, cp];
  const lo = rules.lower(cp);
  return rules.preimage(normalize([lo, lo, ...rules.fixes(lo).flatMap((v) => [v, v])]));
}

function categorySet(item: { cat: "d" | "s" | "w"; negate: boolean }, ascii: boolean): CharSet {
  const set = ascii ? CATEGORY[item.cat].ascii : CATEGORY[item.cat].unicode;
  return item.negate ? complement(set) : set;
}

/**
 * The set a class matches. `plain` marks a category outside a class (`\w`), which CPython tests
 * on the subject character itself even under IGNORECASE.
 */
export function classSet(
  items: readonly ClassItem[],
  negate: boolean,
  flags: SetFlags,
  plain = false,
): CharSet {
  if (plain || !flags.ignoreCase) {
    const set = normalize(items.flatMap((i) => [...exactItem(i, flags.ascii)]));
    return negate ? complement(set) : set;
  }
  const rules = rulesFor(flags.ascii);
  let charmap: CharSet = [];
  const tail: CharSet[] = [];
  let cased = false;
  for (const item of items) {
    if (item.t === "cat") {
      charmap = union(charmap, categorySet(item, flags.ascii));
    } else if (item.t === "char") {
      const lo = rules.lower(item.cp);
      if (lo > 0xffff) {
        // CPython keeps an astral literal as written and compares the lowered subject to it.
        tail.push([item.cp, item.cp]);
        cased = true;
      } else {
        charmap = union(charmap, withFixes([lo, lo], rules));
        cased ||= rules.cased(item.cp);
      }
    } else {
      const bmp = intersect([item.lo, item.hi], [0, 0xffff]);
      charmap = union(charmap, withFixes(lowerImage(bmp, rules), rules));
      cased ||= anyCased(item.lo, item.hi, rules.cased);
      if (item.hi > 0xffff) {
        // RANGE_UNI_IGNORE: lower(c) in range, or upper(lower(c)) in range.
        cased = true;
        const range: CharSet = [item.lo, item.hi];
        tail.push(union(range, upperPreimage(range)));
      }
    }
  }
  if (!cased) {
    const set = normalize(items.flatMap((i) => [...exactItem(i, flags.ascii)]));
    return negate ? complement(set) : set;
  }
  const tested = tail.reduce(union, charmap);
  const set = rules.preimage(tested);
  return negate ? complement(set) : set;
}

function exactItem(item: ClassItem, ascii: boolean): CharSet {
  if (item.t === "char") return [item.cp, item.cp];
  if (item.t === "range") return [item.lo, item.hi];
  return categorySet(item, ascii);
}

function anyCased(lo: number, hi: number, cased: (c: number) => boolean): boolean {
  for (let c = lo; c <= hi && c - lo < 0x30000; c++) if (cased(c)) return true;
  return false;
}
