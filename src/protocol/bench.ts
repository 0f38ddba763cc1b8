/**
 * Benchmark tasks and results (`rlm bench`): the JSONL shapes users bring and get back.
 *
 * @module
 */
import { z } from "zod";

/** How an answer is scored. */
export const AnswerTypeSchema = z.enum(["exact", "numeric", "set", "choice"]);
/** How an answer is scored. */
export type AnswerType = z.infer<typeof AnswerTypeSchema>;

/** One task: a question about a context, with the expected answer. */
export const BenchTaskSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  answer: z.union([z.string(), z.number(), z.array(z.string())]),
  answer_type: AnswerTypeSchema,
  context: z.string().optional(),
  context_file: z.string().optional(),
  /** Generator family and size, for the report (`sniah`, `oolong`, `pairs`, or the user's). */
  kind: z.string().default("custom"),
  size_tokens: z.number().optional(),
}).refine((t) => (t.context === undefined) !== (t.context_file === undefined), {
  message: "give exactly one of context or context_file",
});
/** One task. */
export type BenchTask = z.infer<typeof BenchTaskSchema>;

/** One (task, method) result, a line of the results JSONL. */
export const BenchResultSchema = z.object({
  task_id: z.string(),
  kind: z.string(),
  size_tokens: z.number().nullable(),
  method: z.string(),
  model: z.string(),
  score: z.number(),
  answer: z.string().nullable(),
  expected: z.union([z.string(), z.number(), z.array(z.string())]),
  cost_usd: z.number().nullable(),
  tokens: z.number(),
  llm_calls: z.number(),
  latency_ms: z.number(),
  truncated: z.boolean().default(false),
  error: z.string().optional(),
});
/** One result. */
export type BenchResult = z.infer<typeof BenchResultSchema>;
