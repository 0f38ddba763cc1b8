/**
 * Read a model reply as one protocol step, tolerantly: code fences and prose around the JSON,
 * the flat explore form, numeric answers. Anything else is an error message for the model.
 *
 * @module
 */
import { type Step, StepSchema } from "../protocol/step.ts";

/** A parsed step, or the reason the reply is not one. */
export type ParsedStep = { ok: true; step: Step } | { ok: false; error: string };

/**
 * Find the step in `reply`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/_assert.ts";
 * import { parseStep } from "./parse_step.ts";
 * // Prose and code fences around the JSON are tolerated.
 * const parsed = parseStep('Sure! {"mode": "final", "answer": 42}');
 * assertEquals(parsed.ok, true);
 * ```
 */
export function parseStep(reply: string): ParsedStep {
  const candidates = jsonObjects(reply);
  if (candidates.length === 0) {
    return { ok: false, error: "Your reply has no JSON object. Reply with exactly one JSON step." };
  }
  const withMode = candidates.filter((c) => typeof c === "object" && c !== null && "mode" in c);
  if (withMode.length === 0) {
    return { ok: false, error: 'Your JSON has no "mode": use "explore", "commit" or "final".' };
  }
  if (withMode.length > 1) {
    return {
      ok: false,
      error: "Your reply has several steps; send exactly one JSON step per reply.",
    };
  }
  const raw = normalize(withMode[0] as Record<string, unknown>);
  const parsed = StepSchema.safeParse(raw);
  if (parsed.success) return { ok: true, step: parsed.data };
  const mode = raw.mode;
  if (mode !== "explore" && mode !== "commit" && mode !== "final") {
    return {
      ok: false,
      error: `Unknown mode ${JSON.stringify(mode)}: use "explore", "commit" or "final".`,
    };
  }
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String).join(".");
  const shapes: Record<string, string> = {
    explore: '{"mode": "explore", "operation": {"op": "...", "args": {...}, "bind": "name"}}',
    commit:
      '{"mode": "commit", "operations": [{"op": ..., "args": ..., "bind": ...}, ...], "output": "name"}',
    final: '{"mode": "final", "answer": "..."} or {"mode": "final", "answer_var": "name"}',
  };
  return {
    ok: false,
    error: `Malformed ${mode} step${path ? ` at "${path}"` : ""}: expected ${shapes[mode]}.`,
  };
}

/** Accept the flat explore form and `answer_var` given with `answer`. */
function normalize(raw: Record<string, unknown>): Record<string, unknown> {
  if (raw.mode === "explore" && raw.operation === undefined && typeof raw.op === "string") {
    const { mode: _mode, ...operation } = raw;
    return { mode: "explore", operation };
  }
  if (raw.mode === "final" && raw.answer_var !== undefined && raw.answer === undefined) {
    return { mode: "final", answer_var: raw.answer_var };
  }
  return raw;
}

/**
 * Every top-level JSON object in `text` (balanced braces that parse). The search reads at most
 * `SCAN_FACTOR` times the reply's length, so a hostile reply (thousands of nested braces that
 * never parse) costs linear time, not quadratic.
 */
function jsonObjects(text: string): unknown[] {
  const found: unknown[] = [];
  const budget = { left: SCAN_FACTOR * text.length + 4096 };
  for (let i = text.indexOf("{"); i !== -1;) {
    const end = matchingBrace(text, i, budget);
    if (end === -1) break;
    try {
      found.push(JSON.parse(text.slice(i, end + 1), answerAsWritten));
      i = text.indexOf("{", end + 1);
    } catch {
      i = text.indexOf("{", i + 1);
    }
  }
  return found;
}

/**
 * A numeric `answer` as the model wrote it (`1.50`, `12345678901234567890`), since the answer is
 * printed as written (docs/reference/protocol.md), not as a float rounds it.
 */
function answerAsWritten(
  this: unknown,
  key: string,
  value: unknown,
  context?: { source?: string },
): unknown {
  return key === "answer" && typeof value === "number" && context?.source !== undefined
    ? context.source
    : value;
}

/** How many times its length a reply's search for JSON objects may read. */
const SCAN_FACTOR = 8;

function matchingBrace(text: string, start: number, budget: { left: number }): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    if (--budget.left < 0) return -1;
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}
