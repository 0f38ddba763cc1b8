/**
 * Test helper: a text cut into line-aligned pieces, as a big context file is read.
 *
 * @module
 */

/** Cut `t` into line-aligned pieces after the lines picked by `cuts` (cycled). */
export function linePieces(t: string, cuts: boolean[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  let k = 0;
  for (let i = t.indexOf("\n"); i !== -1; i = t.indexOf("\n", i + 1)) {
    if (cuts[k++ % Math.max(1, cuts.length)]) {
      pieces.push(t.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < t.length) pieces.push(t.slice(start));
  return pieces;
}
