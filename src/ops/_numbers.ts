/**
 * Exact decimal sums of the numbers found in text, for `combine` with strategy `sum`.
 *
 * @module
 */

// A sign only when not glued to a word or number ("2026-11-20" is three numbers, not 2026-11-20);
// a comma is a thousands separator only before exactly three digits ("1,234" but "1,2,3").
const NUMBER = /(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|(?<=\w)\d+(?:\.\d+)?/g;

/** The numbers in `text` as exact decimals: [digits without sign or point, scale, negative]. */
export function findNumbers(text: string): { digits: bigint; scale: number }[] {
  const found: { digits: bigint; scale: number }[] = [];
  for (const [raw] of text.matchAll(NUMBER)) {
    const negative = raw.startsWith("-");
    const plain = raw.replace(/[-,]/g, "");
    const [whole, fraction = ""] = plain.split(".");
    const digits = BigInt(whole + fraction) * (negative ? -1n : 1n);
    found.push({ digits, scale: fraction.length });
  }
  return found;
}

/** The exact sum of every number in `items`, printed without float noise ("0.3", "1234", "0"). */
export function sumNumbers(items: readonly string[]): string {
  const numbers = items.flatMap(findNumbers);
  const scale = Math.max(0, ...numbers.map((n) => n.scale));
  let total = 0n;
  for (const n of numbers) total += n.digits * 10n ** BigInt(scale - n.scale);
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
