/**
 * What the root model is told: the protocol, the ops, the variables (names, kinds and sizes,
 * never contents) and worked examples. The examples are data, and a test runs each of them
 * on the real engine to check that they do what the prompt says.
 *
 * @module
 */
import { opPromptLines, subCallOpLabels, variableArgNames } from "../ops/op_prompt_lines.ts";
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

/** `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The system prompt; what it says of the ops comes from the op specs (`opPromptLines`). */
export function systemPrompt(limits: PromptLimits): string {
  const ops = opPromptLines({ sandbox: limits.evalEnabled, subCalls: limits.subCalls });
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
      ? ` Sub-model operations (${subCallOpLabels().join(", ")}) are allowed only here.`
      : ""
  }
{"mode": "final", "answer": "..."} or {"mode": "final", "answer_var": "name"}
  Ends with your answer, or with the value of a variable.

Args named ${listed(variableArgNames())} name variables; all other args are literal values.

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
