/**
 * What the model sees of a value: its kind and full size, and a bounded preview.
 *
 * @module
 */
import type { Value } from "../protocol/value.ts";

/** Characters of a result shown to the model. */
export const PREVIEW_CHARS = 2000;

/** A one-line description: `text, 1,234 chars, 20 lines` or `list of 8 items (12,345 chars)`. */
export function describeValue(value: Value): string {
  if (typeof value === "string") {
    const lines = value === ""
      ? 0
      : value.split("\n", 1_000_001).length - (value.endsWith("\n") ? 1 : 0);
    return `text, ${value.length.toLocaleString("en-US")} chars, ${
      lines.toLocaleString("en-US")
    } lines`;
  }
  const chars = value.reduce((n, s) => n + s.length, 0);
  return `list of ${value.length.toLocaleString("en-US")} items (${
    chars.toLocaleString("en-US")
  } chars in all)`;
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
