/**
 * What the root model is told: the protocol, the ops, the variables (names, kinds and sizes,
 * never contents) and worked examples. The examples are data, and a test runs each of them
 * on the real engine to check that they do what the prompt says.
 *
 * @module
 */
import type { Binding } from "../protocol/value.ts";
import { describeBinding } from "./preview.ts";

/** A worked example: a question, the steps, and the result the prompt claims for each. */
export interface PromptExample {
  question: string;
  steps: { reply: Record<string, unknown>; result: string }[];
}

/** The examples in the system prompt; `tests` run them on docs/examples/app.log. */
export const PROMPT_EXAMPLES: PromptExample[] = [
  {
    question: "How many requests timed out?",
    steps: [
      {
        reply: {
          mode: "explore",
          operation: {
            op: "grep",
            args: { input: "context", pattern: "(?i)timed out" },
            bind: "timeouts",
          },
        },
        result: "text, 1,605 chars, 25 lines",
      },
      {
        reply: {
          mode: "explore",
          operation: { op: "count", args: { input: "timeouts" }, bind: "n" },
        },
        result: "25",
      },
      { reply: { mode: "final", answer_var: "n" }, result: "25" },
    ],
  },
  {
    question: "How many log lines mention a failure, in the sense a human reader would judge?",
    steps: [
      {
        reply: {
          mode: "commit",
          operations: [
            { op: "chunk", args: { input: "context", n: 4 }, bind: "chunks" },
            {
              op: "map",
              args: {
                prompt:
                  "How many lines in this log excerpt report a failure? Reply with one integer.",
                input: "chunks",
              },
              bind: "counts",
            },
            { op: "combine", args: { inputs: ["counts"], strategy: "sum" }, bind: "total" },
          ],
          output: "total",
        },
        result: "the sum of the four sub-call answers, e.g. 12 + 9 + 11 + 10 = 42",
      },
      { reply: { mode: "final", answer_var: "total" }, result: "42" },
    ],
  },
];

/** Limits the model is told about. */
export interface PromptLimits {
  maxExplore: number;
  maxCommits: number;
  /** Whether sub-calls exist (depth ≥ 1). */
  subCalls: boolean;
  /** Whether `eval` exists. */
  evalEnabled: boolean;
}

/** The system prompt. */
export function systemPrompt(limits: PromptLimits): string {
  const ops = [
    "- slice {input, start=0, end} -> text: characters [start, end); negative counts from the end",
    "- lines {input, start=1, end} -> text: lines start..end (1-based, inclusive; -1 is the last line)",
    "- grep {input, pattern, ignore_case=false, context_lines=0} -> text: each matching line followed by \\n, as grep prints it. Python re syntax; no lookahead or backreferences",
    "- count {input, mode=lines|chars|words|matches, pattern (for matches)} -> text: an integer",
    "- chunk {input, n | size} -> list: line-aligned pieces (n pieces, or pieces of at most size chars)",
    "- split {input, delimiter} -> list: pieces between a literal delimiter",
    "- combine {inputs: [names], strategy=concat|sum|vote|json} -> text. sum adds every number found in the items; vote picks the most common item",
  ];
  if (limits.evalEnabled) {
    ops.push(
      "- eval {code, inputs: [names]} -> text: run Python (no files, no network); variables are globals (text is str, list is list[str]); the result is stdout, or the variable `result` if set",
    );
  }
  if (limits.subCalls) {
    ops.push(
      "- rlm_call {query, context} -> text: a sub-model answers query about one text variable (commit only)",
      "- map {prompt, input} -> list: a sub-model answers prompt about each item of a list, in parallel (commit only)",
      "- combine {inputs, strategy=<an instruction>} -> text: a sub-model merges the items following the instruction (commit only)",
    );
  }
  const examples = PROMPT_EXAMPLES
    .filter((e) => limits.subCalls || !e.steps.some((s) => s.reply.mode === "commit"))
    .map((e, i) =>
      `Example ${i + 1}: "${e.question}"\n` +
      e.steps.map((s) => `${JSON.stringify(s.reply)}\n  -> ${s.result}`).join("\n")
    ).join("\n\n");
  return `You answer a question about a context far too large to read. You never see the context itself: you work on variables with operations and see only previews of their results.

Reply with exactly ONE JSON object per turn, one of:
{"mode": "explore", "operation": {"op": "...", "args": {...}, "bind": "name"}}
  Runs one operation now and shows you a preview of its result. Bind results you will reuse.
{"mode": "commit", "operations": [{"op": ..., "args": ..., "bind": ...}, ...], "output": "name"}
  Runs a plan: operations may use earlier binds; independent ones run in parallel.${
    limits.subCalls
      ? " Sub-model operations (map, rlm_call, prompt combine) are allowed only here."
      : ""
  }
{"mode": "final", "answer": "..."} or {"mode": "final", "answer_var": "name"}
  Ends with your answer, or with the value of a variable.

Args named input, inputs and context name variables; all other args are literal values.

Operations:
${ops.join("\n")}

You have at most ${limits.maxExplore} explore steps and ${limits.maxCommits} commits. Look before you plan: check the format of the data with a small slice or grep first. Prefer exact operations (grep, count) over sub-models when they answer the question. When you know the answer, reply with final.

${examples}`;
}

/** The first user message: the question and the variables. */
export function firstMessage(query: string, vars: ReadonlyMap<string, Binding>): string {
  const list = [...vars].map(([name, b]) => `- ${name}: ${describeBinding(b)}`).join("\n");
  return `Question: ${query}\n\nVariables:\n${list}\n\nReply with one JSON step.`;
}
