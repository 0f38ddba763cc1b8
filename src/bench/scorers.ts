/**
 * Scorers that do not reward wrong answers: no digit concatenation, no substring-anywhere match.
 *
 * @module
 */
import type { AnswerType } from "../protocol/bench.ts";

/** Score `answer` against `expected` as `type` says, in [0, 1]. */
export function score(
  type: AnswerType,
  answer: string,
  expected: string | number | string[],
): number {
  switch (type) {
    case "exact":
      return normalize(answer) === normalize(String(expected)) ? 1 : 0;
    case "numeric":
      return numericScore(answer, Number(expected));
    case "set":
      return setF1(
        parseSet(answer),
        Array.isArray(expected) ? expected : parseSet(String(expected)),
      );
    case "choice":
      return choice(answer) === String(expected).trim().toUpperCase() ? 1 : 0;
  }
}

/** Lower case, trimmed, inner whitespace folded, a final period and surrounding quotes dropped. */
export function normalize(s: string): string {
  return s.trim().replace(/^["'`]+|["'`]+$/g, "").replace(/\.$/, "").replace(/\s+/g, " ")
    .toLowerCase();
}

/**
 * OOLONG's numeric score, 0.75^|error|. The answer must state one number: several different
 * numbers score 0 (a list of guesses is not an answer); thousands separators are understood.
 */
export function numericScore(answer: string, expected: number): number {
  const numbers = [...answer.matchAll(/-?\d{1,3}(?:,\d{3})+(?!\d)|-?\d+(?:\.\d+)?/g)].map((m) =>
    Number(m[0].replace(/,/g, ""))
  );
  const distinct = [...new Set(numbers)];
  if (distinct.length !== 1 || !Number.isFinite(expected)) return 0;
  return 0.75 ** Math.abs(distinct[0] - expected);
}

/** Items of a set answer: one per line, or separated by `;` or `,` (pairs keep their inner `-`). */
export function parseSet(answer: string): string[] {
  const parts = answer.includes("\n") ? answer.split("\n") : answer.split(/[;,]/);
  return [...new Set(parts.map(normalizePair).filter((p) => p !== ""))];
}

function normalizePair(s: string): string {
  const items = normalize(s).replace(/^[-*•\d.)\s]+(?=\S)/, "").replace(/[()[\]]/g, "").split(
    /\s*(?:-|&|and|\+)\s*/,
  )
    .map((x) => x.trim()).filter(Boolean);
  return items.length === 2 ? items.sort().join("-") : items.join(" ");
}

/** F1 of `got` against `want` (both normalized the same way). */
export function setF1(got: string[], want: string[]): number {
  const w = new Set(want.map(normalizePair));
  const g = new Set(got);
  if (w.size === 0 && g.size === 0) return 1;
  const hit = [...g].filter((x) => w.has(x)).length;
  if (hit === 0) return 0;
  const precision = hit / g.size;
  const recall = hit / w.size;
  return (2 * precision * recall) / (precision + recall);
}

/** The one choice letter an answer gives (A-J, standing alone), or "" when it gives none or several. */
export function choice(answer: string): string {
  const letters = [...answer.toUpperCase().matchAll(/(?<![A-Z])([A-J])(?![A-Z])/g)].map((m) =>
    m[1]
  );
  const distinct = [...new Set(letters)];
  return distinct.length === 1 ? distinct[0] : "";
}
