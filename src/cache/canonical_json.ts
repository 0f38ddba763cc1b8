/**
 * Canonical JSON: object keys sorted, no whitespace, so equal data gives equal bytes.
 *
 * @module
 */

/**
 * Render `data` as canonical JSON (keys sorted at every level; `undefined` fields dropped).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
 * ```
 */
export function canonicalJson(data: unknown): string {
  if (data === null || typeof data !== "object") {
    if (typeof data === "number" && !Number.isFinite(data)) {
      throw new TypeError(`Cannot render ${data} as canonical JSON`);
    }
    return JSON.stringify(data);
  }
  if (Array.isArray(data)) {
    return `[${data.map((item) => item === undefined ? "null" : canonicalJson(item)).join(",")}]`;
  }
  const entries = Object.entries(data as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
