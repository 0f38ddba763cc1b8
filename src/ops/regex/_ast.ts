/**
 * The regex AST our Python-syntax parser produces. Groups are gone (only match extents matter
 * to grep and count); character sets are resolved, case folding included.
 *
 * @module
 */
import type { CharSet } from "./_charset.ts";

/** A parsed pattern. */
export type Node =
  /** One code point of `set`. */
  | { t: "set"; set: CharSet }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; items: Node[] }
  /** `max` is Infinity when unbounded. */
  | { t: "rep"; body: Node; min: number; max: number; lazy: boolean }
  /** `^`, `\A`: the start of the line. */
  | { t: "bol" }
  /** `$`, `\Z`: the end of the line. */
  | { t: "eol" }
  /** `\b` (negate false) or `\B`, with the word characters of the pattern's flags. */
  | { t: "wb"; negate: boolean; word: CharSet }
  /** `(?<=...)` or `(?<!...)`. */
  | { t: "behind"; body: Node; negate: boolean };

/** What can start (or end) a match of a node, and whether it can match the empty string. */
export interface Edge {
  chars: number[];
  nullable: boolean;
}

/** The first characters `items` (in order) can consume, and whether they can all be empty. */
export function firstOf(items: readonly Node[], reverse = false): Edge {
  const chars: number[] = [];
  const list = reverse ? [...items].reverse() : items;
  for (const item of list) {
    const e = edge(item, reverse);
    chars.push(...e.chars);
    if (!e.nullable) return { chars, nullable: false };
  }
  return { chars, nullable: true };
}

function edge(node: Node, reverse: boolean): Edge {
  switch (node.t) {
    case "set":
      return { chars: [...node.set], nullable: false };
    case "seq":
      return firstOf(node.items, reverse);
    case "alt": {
      const es = node.items.map((n) => edge(n, reverse));
      return { chars: es.flatMap((e) => e.chars), nullable: es.some((e) => e.nullable) };
    }
    case "rep": {
      const e = edge(node.body, reverse);
      return { chars: e.chars, nullable: e.nullable || node.min === 0 };
    }
    default:
      return { chars: [], nullable: true };
  }
}

/** Whether `node` can match an empty string / a non-empty one (assertions ignored). */
export function extents(node: Node): { empty: boolean; nonEmpty: boolean } {
  switch (node.t) {
    case "set":
      return { empty: false, nonEmpty: node.set.length > 0 };
    case "seq": {
      const es = node.items.map(extents);
      const empty = es.every((e) => e.empty);
      const possible = es.every((e) => e.empty || e.nonEmpty);
      return { empty, nonEmpty: possible && es.some((e) => e.nonEmpty) };
    }
    case "alt": {
      const es = node.items.map(extents);
      return { empty: es.some((e) => e.empty), nonEmpty: es.some((e) => e.nonEmpty) };
    }
    case "rep": {
      const e = extents(node.body);
      return { empty: node.min === 0 || e.empty, nonEmpty: e.nonEmpty && node.max > 0 };
    }
    default:
      return { empty: true, nonEmpty: false };
  }
}

/** The [min, max] number of code points `node` matches (for the fixed-width lookbehind rule). */
export function width(node: Node): [number, number] {
  switch (node.t) {
    case "set":
      return [1, 1];
    case "seq":
      return node.items.map(width).reduce((a, b) => [a[0] + b[0], a[1] + b[1]], [0, 0]);
    case "alt": {
      const ws = node.items.map(width);
      return [Math.min(...ws.map((w) => w[0])), Math.max(...ws.map((w) => w[1]))];
    }
    case "rep": {
      const [lo, hi] = width(node.body);
      return [lo * node.min, hi === 0 ? 0 : hi * node.max];
    }
    default:
      return [0, 0];
  }
}
