/**
 * Suggest the nearest known name for a misspelt one, for error messages.
 *
 * @module
 */

/**
 * The known name closest to `name`, ignoring case, if it is close: an edit distance of at most
 * 1 (2 for names of 6 characters or more), or one name a prefix of the other.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best === undefined) return undefined;
  const close = bestDistance <= Math.max(1, Math.min(2, Math.floor(name.length / 3)));
  return close || best.startsWith(name) || name.startsWith(best) ? best : undefined;
}

/** `(did you mean "x"?)` or the empty string. */
export function didYouMean(name: string, known: readonly string[]): string {
  const hit = nearest(name, known);
  return hit === undefined ? "" : ` (did you mean "${hit}"?)`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
