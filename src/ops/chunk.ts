/**
 * `chunk`: a text cut into line-aligned pieces, by count or by size.
 *
 * @module
 */
import type { OpImpl } from "./types.ts";

/**
 * Line-aligned pieces that, joined with "", give the input back (pieces keep their "\n").
 * With `size`, every piece has at most `size` characters, and a line is cut only when it alone
 * is longer than `size`. With `n`, at most `n` pieces of about len/n characters each, cut at
 * the line end nearest each ideal cut. An empty text gives no pieces.
 *
 * @example `{"op": "chunk", "args": {"input": "context", "n": 8}, "bind": "chunks"}`
 */
export const chunk: OpImpl<"chunk"> = (args, vars) => {
  const text = vars.text(args.input, "input");
  if (text === "") return [];
  return args.size !== undefined ? bySize(text, args.size) : byCount(text, args.n as number);
};

function bySize(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (text.length - start <= size) {
      pieces.push(text.slice(start));
      break;
    }
    // The last line end within the window; none: the line alone exceeds size, cut it.
    const nl = text.lastIndexOf("\n", start + size - 1);
    const end = nl >= start ? nl + 1 : start + size;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function byCount(text: string, n: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let k = 1; k < n && start < text.length; k++) {
    const ideal = Math.round((k * text.length) / n);
    if (ideal <= start) continue;
    const after = text.indexOf("\n", ideal - 1);
    const before = text.lastIndexOf("\n", ideal - 1);
    // Nearest line end to the ideal cut, not behind the current start.
    let cut = after === -1 ? text.length : after + 1;
    if (before >= start && before + 1 > start && ideal - (before + 1) < cut - ideal) {
      cut = before + 1;
    }
    if (cut <= start || cut >= text.length) continue;
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}
