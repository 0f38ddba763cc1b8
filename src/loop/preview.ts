/**
 * What the model sees of a value: its kind and full size, and a bounded preview.
 *
 * @module
 */
import { countLines } from "../ops/_lines.ts";
import type { Binding, Value } from "../protocol/value.ts";

/** Characters of a result shown to the model. */
export const PREVIEW_CHARS = 2000;

/** A one-line description: `text, 1,234 chars, 20 lines` or `list of 8 items (12,345 chars)`. */
export function describeValue(value: Value): string {
  if (typeof value === "string") return describeText(textStats([value]));
  const chars = value.reduce((n, s) => n + s.length, 0);
  return `list of ${value.length.toLocaleString("en-US")} items (${
    chars.toLocaleString("en-US")
  } chars in all)`;
}

/**
 * `describeValue` of a binding, without building the whole string of a big context file: its
 * pieces are counted as they are read.
 */
export function describeBinding(binding: Binding): string {
  return binding.pieces ? describeText(bindingStats(binding)) : describeValue(binding.value);
}

const statsMemo = new WeakMap<Binding, { chars: number; lines: number }>();

/** `textStats` of a text binding (a list counts as none), counted once per binding. */
export function bindingStats(binding: Binding): { chars: number; lines: number } {
  const known = statsMemo.get(binding);
  if (known) return known;
  const value = binding.pieces ? undefined : binding.value;
  const stats = textStats(binding.pieces?.() ?? (typeof value === "string" ? [value] : []));
  statsMemo.set(binding, stats);
  return stats;
}

/** Characters (UTF-16 units, as `length`) and lines of a text given as line-aligned pieces. */
export function textStats(pieces: Iterable<string>): { chars: number; lines: number } {
  let chars = 0;
  let lines = 0;
  for (const piece of pieces) {
    chars += piece.length;
    // Every piece but the last ends at a line end, so each piece's lines add up.
    lines += countLines(piece);
  }
  return { chars, lines };
}

function describeText({ chars, lines }: { chars: number; lines: number }): string {
  return `text, ${chars.toLocaleString("en-US")} chars, ${lines.toLocaleString("en-US")} lines`;
}

/** A preview of at most about `limit` characters, saying what was left out. */
export function previewValue(value: Value, limit = PREVIEW_CHARS): string {
  if (typeof value === "string") {
    if (value.length <= limit) return value;
    return `${value.slice(0, limit)}\n... [${
      (value.length - limit).toLocaleString("en-US")
    } more chars not shown]`;
  }
  const shown: string[] = [];
  let used = 0;
  for (let i = 0; i < value.length; i++) {
    const per = Math.max(80, Math.floor(limit / Math.min(value.length, 8)));
    const item = value[i].length > per
      ? `${value[i].slice(0, per)}... [${value[i].length} chars]`
      : value[i];
    if (used + item.length > limit && shown.length > 0) {
      shown.push(`... [${value.length - i} more items not shown]`);
      break;
    }
    shown.push(`[${i}] ${item}`);
    used += item.length;
  }
  return shown.join("\n");
}
