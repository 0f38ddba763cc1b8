/**
 * Exact decimal sums of the numbers found in text, for `combine` with strategy `sum`.
 * What counts as a number is listed in docs/reference/ops.md ("What `sum` reads as a number").
 *
 * @module
 */
import { OpError } from "./op_error.ts";

// A sign ("-" or U+2212 "−") only when not glued to a word or number ("2026-11-20" is three
// numbers, not 2026-11-20); a comma is a thousands separator only before exactly three digits
// ("1,234" but "1,2,3"); ".5" is a half; an exponent ("1e5", "2.5E-3") only when nothing
// word-like follows it. Digits glued after a word character ("v2", "abc123") are a number too.
const NUMBER =
  /(?<![\w.])([-\u2212]?)((?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)(?:[eE]([-+]?\d+)(?!\w))?|(?<=\w)()(\d+(?:\.\d+)?)/g;

/** Exponents beyond this are refused: 1e10000000 would be a number of ten million digits. */
export const MAX_EXPONENT = 1000;

/** An exact decimal: `digits` × 10^-`scale` (a negative scale for `1e5`). */
export interface Decimal {
  digits: bigint;
  scale: number;
}

/** The numbers in `text`, in order, as exact decimals. */
export function findNumbers(text: string): Decimal[] {
  const found: Decimal[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const negative = m[1] === "-" || m[1] === "\u2212";
    const plain = (m[2] ?? m[5]).replaceAll(",", "");
    const [whole, fraction = ""] = plain.split(".");
    const exponent = m[3] === undefined ? 0 : Number(m[3]);
    if (Math.abs(exponent) > MAX_EXPONENT) {
      throw new OpError(
        "combine",
        "inputs",
        `the number "${
          m[0]
        }" has an exponent beyond ±${MAX_EXPONENT}; sum cannot add it exactly (use eval with floats for such numbers)`,
      );
    }
    const digits = BigInt(whole + fraction) * (negative ? -1n : 1n);
    found.push({ digits, scale: fraction.length - exponent });
  }
  return found;
}

/**
 * The exact sum of every number in `items`, printed without float noise ("0.3", "1234", "0").
 * Linear in the items: numbers are added per scale (so 200 000 times `1e999` costs one power of
 * ten, not 200 000), and the scales are brought together once at the end.
 */
export function sumNumbers(items: readonly string[]): string {
  const byScale = new Map<number, bigint>();
  for (const item of items) {
    for (const n of findNumbers(item)) {
      byScale.set(n.scale, (byScale.get(n.scale) ?? 0n) + n.digits);
    }
  }
  let scale = 0; // the total is printed with no negative scale: 1e3 is "1000"
  for (const s of byScale.keys()) scale = Math.max(scale, s);
  let total = 0n;
  for (const [s, sum] of byScale) total += sum * 10n ** BigInt(scale - s);
  return formatDecimal(total, scale);
}

function formatDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : "";
  digits = scale > 0 ? digits.slice(0, digits.length - scale) : digits;
  fraction = fraction.replace(/0+$/, "");
  const text = fraction ? `${digits}.${fraction}` : digits;
  return negative && text !== "0" ? `-${text}` : text;
}
