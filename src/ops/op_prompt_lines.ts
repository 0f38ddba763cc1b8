/**
 * The op list of the system prompt, from the op specs.
 *
 * @module
 */
import { OP_SPECS } from "./_op_specs.ts";
import { ownFirst } from "./_own_first.ts";
import type { OpEffect } from "./op_spec.ts";

/** What the run offers beyond pure ops. */
export interface PromptOpsOptions {
  /** Whether `eval` exists (the Python sandbox). */
  sandbox: boolean;
  /** Whether sub-calls exist (a model, depth ≥ 1). */
  subCalls: boolean;
}

const SPECS = Object.values(OP_SPECS);

/**
 * The lines of the prompt's op list, each `- <op> {args} -> result: ...`: the pure ops always,
 * then the sandbox ops when eval is on, then the sub-call ops when sub-calls exist.
 *
 * @example
 * ```ts
 * import { opPromptLines } from "./op_prompt_lines.ts";
 * opPromptLines({ sandbox: false, subCalls: false })[0]; // "- slice {input, start=0, end} -> ..."
 * ```
 */
export function opPromptLines(options: PromptOpsOptions): string[] {
  return promptSections(options).map(([, p]) => `- ${p.line}`);
}

/**
 * What the prompt calls the ops that call sub-models (the `sub-call` lines of the op list), in
 * the list's order: `["rlm_call", "map", "prompt combine"]`.
 */
export function subCallOpLabels(): string[] {
  return ownFirst(SPECS, (s) => s.prompt, (line) => line.needs === "sub-call")
    .map(([spec, p]) => p.label ?? spec.name);
}

/** The names of the args that name variables, over every op, in the specs' order. */
export function variableArgNames(): string[] {
  return [...new Set(SPECS.flatMap((s): readonly string[] => s.variableArgs))];
}

function promptSections(options: PromptOpsOptions) {
  const sections: OpEffect[] = ["pure"];
  if (options.sandbox) sections.push("sandbox");
  if (options.subCalls) sections.push("sub-call");
  return sections.flatMap((needs) =>
    ownFirst(SPECS, (s) => s.prompt, (line) => line.needs === needs)
  );
}
