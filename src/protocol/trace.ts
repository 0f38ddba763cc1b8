/**
 * The execution trace (docs/reference/trace.md): the call tree of a run, written as JSON with a `version`.
 *
 * @module
 */
import { z } from "zod";

/**
 * Version of the trace format. 2: a model call records only the messages new since the call it
 * `extends` (see docs/reference/trace.md).
 */
export const TRACE_VERSION = 2;

/** One model request and its response. */
export const ModelCallRecordSchema = z.object({
  model: z.string(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cost_usd: z.number().nullable(),
  latency_ms: z.number(),
  cached: z.boolean(),
  retries: z.number(),
  /**
   * The index (in the same call's `model_calls`) of the earlier model call this one continues:
   * its whole conversation is that call's, then that call's reply, then `messages`.
   */
  extends: z.number().int().nonnegative().optional(),
  /** The messages sent: all of them, or with `extends` only those after the extended call's reply. */
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

/** The fields of one call record; `children` are checked one by one, by `CallRecordSchema`. */
const CallFieldsSchema = z.object({
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
  model_calls: z.array(ModelCallRecordSchema).superRefine((calls, ctx) => {
    calls.forEach((m, i) => {
      if (m.extends !== undefined && m.extends >= i) {
        ctx.addIssue({
          code: "custom",
          path: [i, "extends"],
          message: `must be the index of an earlier model call (below ${i})`,
        });
      }
    });
  }),
  children: z.array(z.unknown()),
});

/**
 * A call record and its sub-calls. Checked with an explicit stack, not by recursion, so a tree
 * 20 000 calls deep parses like a flat one.
 */
export const CallRecordSchema: z.ZodType<CallRecord> = z.unknown().transform((raw, ctx) => {
  interface Pending {
    raw: unknown;
    /** Where it sits, for messages: the parent's entry and its index among the children. */
    parent?: Pending;
    index: number;
    put: (c: CallRecord) => void;
  }
  const pathOf = (p: Pending): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let at: Pending | undefined = p; at?.parent; at = at.parent) {
      path.unshift("children", at.index);
    }
    return path;
  };
  let root: CallRecord | undefined;
  const stack: Pending[] = [{ raw, index: 0, put: (c) => (root = c) }];
  while (stack.length > 0) {
    const next = stack.pop() as Pending;
    const parsed = CallFieldsSchema.safeParse(next.raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({
          code: "custom",
          message: issue.message,
          path: [...pathOf(next), ...issue.path],
        });
      }
      return z.NEVER;
    }
    const call: CallRecord = { ...parsed.data, children: [] };
    next.put(call);
    parsed.data.children.forEach((child, i) =>
      stack.push({ raw: child, parent: next, index: i, put: (c) => (call.children[i] = c) })
    );
  }
  return root as CallRecord;
}) as unknown as z.ZodType<CallRecord>;

/** A whole trace. */
export const TraceSchema = z.object({
  /** `TRACE_VERSION` when written; version 1 (every model call's messages whole) still reads. */
  version: z.union([z.literal(1), z.literal(TRACE_VERSION)]),
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
