/**
 * Line helpers shared by the ops: a line ends at "\n" (only there: "\r", U+2028 and the other
 * characters Python's `str.splitlines` also breaks at are ordinary characters); a final "\n"
 * does not start a new line, and a last line without one is still a line.
 *
 * @module
 */

/** The lines of `text`, without their "\n" ("" has no lines). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** How many lines `text` has, without building them: its "\n"s, plus 1 for an unterminated last line. */
export function countLines(text: string): number {
  if (text === "") return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}

/**
 * The code unit offset where the line `count` lines after the one starting at `from` starts
 * (the text's length when there are fewer lines).
 */
export function skipLines(text: string, from: number, count: number): number {
  let at = from;
  for (let k = 0; k < count; k++) {
    const nl = text.indexOf("\n", at);
    if (nl === -1) return text.length;
    at = nl + 1;
  }
  return at;
}
