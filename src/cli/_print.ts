/**
 * How the CLI prints an answer or an output value on stdout.
 *
 * @module
 */

/**
 * Print `text` and end it with one newline: a text that already ends in "\n" (the lines `grep`
 * or `lines` return) is printed as-is, so stdout holds exactly its bytes, as `cat` would print.
 */
export function printText(text: string): void {
  console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
}
