import fc from "fast-check";
import { assert, assertEquals } from "../../tests/_assert.ts";
import { canonicalJson } from "./canonical_json.ts";
import { createHash } from "node:crypto";
import { hashKey, hashText, hashValue, TEXT_HASH_PREFIX } from "./hash.ts";

const json = fc.jsonValue();

/** The same data with every object's keys in reverse order. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)]));
  }
  return v;
}

Deno.test("cache keys do not depend on object key order", () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), json), (data) => {
    assertEquals(hashKey(data), hashKey(reorder(data) as Record<string, unknown>));
  }));
});

Deno.test("canonical JSON parses back to the same data", () => {
  fc.assert(fc.property(json, (data) => {
    // JSON cannot tell -0 from 0; compare through JSON.
    assertEquals(JSON.parse(canonicalJson(data)), JSON.parse(JSON.stringify(data)));
  }));
});

Deno.test("text and list hashes never collide by kind", () => {
  fc.assert(fc.property(fc.array(fc.string(), { maxLength: 5 }), (items) => {
    assert(hashValue(items) !== hashValue(items.join("\n")));
    assert(hashValue(items) !== hashValue(items.join("")));
  }));
});

Deno.test("hashing a big text in slices equals hashing its UTF-8 bytes at once", () => {
  // Crosses the slice size, with a surrogate pair straddling every possible boundary.
  for (const big of ["x😀".repeat(3_000_000), "😀".repeat(3_000_000), "é".repeat(5_000_001)]) {
    const direct = createHash("sha256").update(TEXT_HASH_PREFIX).update(big, "utf8").digest("hex");
    assertEquals(hashText(big), direct);
  }
});
