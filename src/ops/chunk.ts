/**
 * `chunk`: a text cut into line-aligned pieces, by count or by size.
 *
 * @module
 */
import { codePointLength, isPairAt } from "./_code_points.ts";
import type { OpImpl } from "./types.ts";

/**
 * Pieces that are exact substrings of the input and, joined with "", give it back: each piece
 * ends after a "\n" (the last may not), unless a line alone is longer than `size` characters
 * (code points); such a line is cut between code points, never inside a surrogate pair.
 *
 * With `size`, every piece has at most `size` characters and the cuts are content-defined: a line
 * end is a cut when a hash of that line says so (or when the next line would not fit), and a long
 * line is cut where a rolling hash of its last characters says so, so an edit or an append changes
 * only the pieces around it. A piece is cut on content only once it holds half of `size`, so
 * pieces average about two thirds of `size`. With `n`, at most `n` pieces of
 * about len/n characters each, cut at the line end nearest each ideal cut (an edit that changes
 * the length moves every cut). An empty text gives no pieces.
 *
 * @example `{"op": "chunk", "args": {"input": "context", "n": 8}, "bind": "chunks"}`
 */
export const chunk: OpImpl<"chunk"> = (args, vars) => {
  const text = vars.text(args.input, "input");
  if (text === "") return [];
  return args.size !== undefined ? bySize(text, args.size) : byCount(text, args.n as number);
};

/** Content cuts come after half of `size`, then about every size/4 characters. */
function bySize(text: string, size: number): string[] {
  const min = Math.max(1, Math.floor(size / 2));
  const mean = Math.max(1, size / 4);
  const pieces: string[] = [];
  let start = 0;
  let length = 0;
  const cut = (at: number) => {
    if (at > start) pieces.push(text.slice(start, at));
    start = at;
    length = 0;
  };
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl + 1;
    const line = codePointLength(text.slice(at, end));
    if (line > size) {
      cut(at);
      for (const piece of cutLongLine(text.slice(at, end), size, min, mean)) pieces.push(piece);
      start = end;
    } else {
      if (length + line > size) cut(at);
      length += line;
      if (length >= min && lineHash(text, at, end) < 2 ** 32 * Math.min(1, line / mean)) cut(end);
    }
    at = end;
  }
  cut(text.length);
  return pieces;
}

/** FNV-1a over the line's code units: a content hash in [0, 2^32). */
function lineHash(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// A gear table: 256 fixed pseudo-random 32-bit words (splitmix32 from seed 0).
const GEAR = Array.from({ length: 256 }, (_, i) => {
  let z = Math.imul(i + 1, 0x9e3779b9);
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
});

/**
 * A line longer than `size`, cut between code points where a gear hash of the last ~32 code
 * points falls under a threshold (after at least `min` characters), or at `size` characters.
 */
function cutLongLine(line: string, size: number, min: number, mean: number): string[] {
  const pieces: string[] = [];
  const threshold = 2 ** 32 / mean;
  let start = 0;
  let length = 0;
  let h = 0;
  for (let i = 0; i < line.length;) {
    const cp = line.codePointAt(i) as number;
    i += isPairAt(line, i) ? 2 : 1;
    length++;
    h = ((h << 1) + GEAR[(cp ^ (cp >>> 8)) & 0xff]) >>> 0;
    if (length === size || (length >= min && h < threshold)) {
      pieces.push(line.slice(start, i));
      start = i;
      length = 0;
    }
  }
  if (start < line.length) pieces.push(line.slice(start));
  return pieces;
}

/** Line ends nearest each ideal cut k·len/n (in code points), walked once. */
function byCount(text: string, n: number): string[] {
  const total = codePointLength(text);
  const pieces: string[] = [];
  let start = 0;
  let k = 1;
  let prev = { at: 0, cp: 0 };
  for (let at = 0, cp = 0; at < text.length && k < n;) {
    const nl = text.indexOf("\n", at);
    const end = nl === -1 ? text.length : nl + 1;
    const here = { at: end, cp: cp + codePointLength(text.slice(at, end)) };
    for (let ideal = Math.round((k * total) / n); k < n && ideal <= here.cp;) {
      const best = ideal - prev.cp < here.cp - ideal ? prev : here;
      if (best.at > start && best.at < text.length) {
        pieces.push(text.slice(start, best.at));
        start = best.at;
      }
      k++;
      ideal = Math.round((k * total) / n);
    }
    prev = here;
    at = end;
    cp = here.cp;
  }
  pieces.push(text.slice(start));
  return pieces;
}
