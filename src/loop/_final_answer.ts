/**
 * Reading a final step: the answer text, or why it is not one.
 *
 * @module
 */
import type { Binding, Value } from "../protocol/value.ts";
import { parseStep } from "./parse_step.ts";

/** The text of a final step, or the error for the model. */
export function finalAnswer(
  step: { answer?: unknown; answer_var?: string },
  env: Map<string, Binding>,
): { ok: true; text: string } | { ok: false; error: string } {
  if (step.answer_var !== undefined) {
    const binding = env.get(step.answer_var);
    if (!binding) {
      return {
        ok: false,
        error: `answer_var "${step.answer_var}" is not defined (defined: ${
          [...env.keys()].join(", ")
        })`,
      };
    }
    return { ok: true, text: render(binding.value) };
  }
  const a = step.answer;
  return { ok: true, text: typeof a === "string" ? a : JSON.stringify(a) };
}

/** The answer in `reply` if it is a valid final step, else `undefined`. */
export function bestFinal(reply: string, env: Map<string, Binding>): string | undefined {
  const parsed = parseStep(reply);
  if (!parsed.ok || parsed.step.mode !== "final") return undefined;
  const answer = finalAnswer(parsed.step, env);
  return answer.ok ? answer.text : undefined;
}

/** A text as-is, a list as JSON. */
export function render(value: Value): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
