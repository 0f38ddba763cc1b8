/**
 * Code point helpers for the ops: a character is a Unicode code point, as in Python, so a
 * surrogate pair counts as one and is never cut in two. A lone surrogate (only possible in text
 * a model wrote) counts as one character, as `Array.from` counts it.
 *
 * @module
 */

const PAIRS = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether every code point of `text` is one UTF-16 code unit (so indices need no mapping). */
export function isSingleUnit(text: string): boolean {
  return !SURROGATE.test(text);
}

/** How many code points `text` has. */
export function codePointLength(text: string): number {
  if (isSingleUnit(text)) return text.length;
  let pairs = 0;
  PAIRS.lastIndex = 0;
  while (PAIRS.exec(text) !== null) pairs++;
  return text.length - pairs;
}

/** Whether a surrogate pair starts at code unit `i` of `text`. */
export function isPairAt(text: string, i: number): boolean {
  const hi = text.charCodeAt(i);
  if (hi < 0xd800 || hi > 0xdbff) return false;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff;
}

/**
 * The code unit offset of code point `count` counted from code unit `from` (clamped to the
 * text's end). Linear in the distance walked.
 */
export function advance(text: string, from: number, count: number): number {
  let i = from;
  for (let k = 0; k < count && i < text.length; k++) i += isPairAt(text, i) ? 2 : 1;
  return i;
}
