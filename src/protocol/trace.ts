/**
 * The execution trace (SPEC §7): the call tree of a run, written as JSON with a `version`.
 *
 * @module
 */
import { z } from "zod";

/** Version of the trace format. */
export const TRACE_VERSION = 1;

/** One model request and its response. */
export const ModelCallRecordSchema = z.object({
  model: z.string(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cost_usd: z.number().nullable(),
  latency_ms: z.number(),
  cached: z.boolean(),
  retries: z.number(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  reply: z.string(),
});
/** One model request and its response. */
export type ModelCallRecord = z.infer<typeof ModelCallRecordSchema>;

/** One op run inside a step. */
export const OpRecordSchema = z.object({
  index: z.number(),
  op: z.string(),
  args: z.record(z.string(), z.unknown()),
  bind: z.string().optional(),
  cached: z.boolean().optional(),
  ms: z.number().optional(),
  kind: z.enum(["text", "list"]).optional(),
  size: z.number().optional(),
  preview: z.string().optional(),
  error: z.string().optional(),
});
/** One op run inside a step. */
export type OpRecord = z.infer<typeof OpRecordSchema>;

/** One step of a call: what the model replied and what came of it. */
export const StepRecordSchema = z.object({
  mode: z.enum(["explore", "commit", "final", "invalid"]),
  ops: z.array(OpRecordSchema),
  output: z.string().optional(),
  error: z.string().optional(),
  answer: z.string().optional(),
});
/** One step of a call. */
export type StepRecord = z.infer<typeof StepRecordSchema>;

/** A call: the root, a recursive sub-call or a direct sub-call. */
export interface CallRecord {
  id: number;
  kind: "root" | "rlm" | "direct";
  depth: number;
  model: string;
  query: string;
  context_chars: number;
  spawned_by?: { op: string; item?: number; of?: number };
  started_ms: number;
  ended_ms?: number;
  answer?: string;
  error?: string;
  steps: StepRecord[];
  model_calls: ModelCallRecord[];
  children: CallRecord[];
}

/** A call record, recursively. */
export const CallRecordSchema: z.ZodType<CallRecord> = z.lazy(() =>
  z.object({
    id: z.number(),
    kind: z.enum(["root", "rlm", "direct"]),
    depth: z.number(),
    model: z.string(),
    query: z.string(),
    context_chars: z.number(),
    spawned_by: z.object({ op: z.string(), item: z.number().optional(), of: z.number().optional() })
      .optional(),
    started_ms: z.number(),
    ended_ms: z.number().optional(),
    answer: z.string().optional(),
    error: z.string().optional(),
    steps: z.array(StepRecordSchema),
    model_calls: z.array(ModelCallRecordSchema),
    children: z.array(CallRecordSchema),
  })
);

/** A whole trace. */
export const TraceSchema = z.object({
  version: z.literal(TRACE_VERSION),
  rlm_version: z.string(),
  started_at: z.string(),
  duration_ms: z.number(),
  status: z.enum(["answered", "failed", "budget_exceeded", "interrupted"]),
  answer: z.string().optional(),
  error: z.string().optional(),
  options: z.record(z.string(), z.unknown()),
  totals: z.object({
    llm_calls: z.number(),
    cache_hits: z.number(),
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    cost_usd: z.number().nullable(),
  }),
  root: CallRecordSchema.optional(),
});
/** A whole trace. */
export type Trace = z.infer<typeof TraceSchema>;
