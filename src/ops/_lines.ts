/**
 * Line helpers shared by the ops: a line ends at "\n"; a final "\n" does not start a new line.
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

/** How many lines `text` has, without building them. */
export function countLines(text: string): number {
  if (text === "") return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}
