/**
 * The RLM loop (SPEC §3.2): the model explores with single ops, commits plans, and answers.
 * The root never sees the context: only variable names, kinds, sizes and result previews.
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import type { Executor } from "../exec/executor.ts";
import { parsePlan } from "../exec/parse_plan.ts";
import { type OpEvent, runPlan } from "../exec/run_plan.ts";
import { OpError } from "../ops/op_error.ts";
import type { SandboxPort, SubCallMeta, SubCallPort } from "../ops/types.ts";
import { BudgetExceededError } from "../protocol/errors.ts";
import { isSubCall } from "../protocol/ops.ts";
import type { CallRecord, OpRecord, StepRecord } from "../protocol/trace.ts";
import type { Binding, Value } from "../protocol/value.ts";
import type { ChatMessage } from "../llm/port.ts";
import type { Budget } from "./budget.ts";
import type { Gateway } from "./gateway.ts";
import { parseStep } from "./parse_step.ts";
import { describeValue, previewValue } from "./preview.ts";
import { firstMessage, systemPrompt } from "./prompt.ts";

/** Settings shared by every call of a run. */
export interface LoopSettings {
  gateway: Gateway;
  budget: Budget;
  executor: Executor;
  sandbox?: SandboxPort;
  model: string;
  childModel: string;
  maxExplore: number;
  maxCommits: number;
  /** Consecutive replies that are not valid steps before the model is asked for a final answer. */
  maxBadReplies: number;
  maxChildChars: number;
  temperature?: number;
  /** Progress: a step or op happened in `call`. */
  onStep?: (call: CallRecord, step: StepRecord) => void;
  onOp?: (call: CallRecord, event: OpEvent) => void;
  /** New call ids. */
  nextId: () => number;
}

/**
 * Answer `query` about the variables in `env`, speaking the protocol, with sub-calls allowed
 * to `depth` more levels. Returns the answer; `call` receives the record of everything.
 */
export async function runRlm(
  query: string,
  env: Map<string, Binding>,
  call: CallRecord,
  settings: LoopSettings & { depth: number; signal?: AbortSignal },
): Promise<string> {
  const messages: ChatMessage[] = [
    {
      role: "system",
      content: systemPrompt({
        maxExplore: settings.maxExplore,
        maxCommits: settings.maxCommits,
        subCalls: settings.depth > 0,
        evalEnabled: settings.sandbox !== undefined,
      }),
    },
    { role: "user", content: firstMessage(query, env) },
  ];
  const ports = {
    subCall: settings.depth > 0 ? createSubCallPort(call, settings) : undefined,
    sandbox: settings.sandbox,
  };
  let explores = 0;
  let commits = 0;
  let bad = 0;
  const ask = async (bypassBudget = false) => {
    const response = await settings.gateway.complete(
      { model: call.model, messages, temperature: settings.temperature },
      call,
      { signal: settings.signal, bypassBudget },
    );
    messages.push({ role: "assistant", content: response.content });
    return response.content;
  };
  const tell = (content: string) => messages.push({ role: "user", content });
  const record = (step: StepRecord) => {
    call.steps.push(step);
    settings.onStep?.(call, step);
  };

  try {
    for (;;) {
      if (
        explores >= settings.maxExplore && commits >= settings.maxCommits ||
        bad >= settings.maxBadReplies
      ) break;
      const parsed = parseStep(await ask());
      if (!parsed.ok) {
        bad++;
        record({ mode: "invalid", ops: [], error: parsed.error });
        tell(`Error: ${parsed.error}`);
        continue;
      }
      const step = parsed.step;
      if (step.mode === "final") {
        const answer = finalAnswer(step, env);
        if (answer.ok) {
          record({ mode: "final", ops: [], answer: answer.text });
          return answer.text;
        }
        bad++;
        record({ mode: "final", ops: [], error: answer.error });
        tell(`Error: ${answer.error}`);
        continue;
      }
      bad = 0;
      if (step.mode === "explore") {
        if (explores >= settings.maxExplore) {
          tell(
            `Error: no explore steps left (limit ${settings.maxExplore}); commit a plan or give your final answer.`,
          );
          continue;
        }
        explores++;
        tell(await runStep("explore", [step.operation], undefined, env, call, settings, ports));
      } else {
        if (commits >= settings.maxCommits) {
          tell(`Error: no commits left (limit ${settings.maxCommits}); give your final answer.`);
          continue;
        }
        commits++;
        tell(await runStep("commit", step.operations, step.output, env, call, settings, ports));
      }
    }
  } catch (error) {
    const stopped = settings.budget.exceeded;
    if (!stopped || call.kind !== "root") throw error;
    // A budget ran out: ask the root once, outside the budget, for its best answer.
    tell(
      `${stopped.message}. No more operations can run. Reply now with your best final answer from what you have.`,
    );
    const partial = bestFinal(await ask(true), env);
    throw new BudgetExceededError(stopped.budget, stopped.message, { cause: error, partial });
  }
  tell(
    `You have used your steps (${explores} explores, ${commits} commits, ${bad} invalid replies in a row). Reply now with {"mode": "final", ...} and your best answer.`,
  );
  const last = bestFinal(await ask(), env);
  if (last === undefined) {
    throw new Error(`The ${call.kind === "root" ? "root " : ""}model gave no final answer`);
  }
  record({ mode: "final", ops: [], answer: last });
  return last;
}

async function runStep(
  mode: "explore" | "commit",
  rawOps: unknown[],
  output: string | undefined,
  env: Map<string, Binding>,
  call: CallRecord,
  settings: LoopSettings & { signal?: AbortSignal },
  ports: { subCall?: SubCallPort; sandbox?: SandboxPort },
): Promise<string> {
  const step: StepRecord = { mode, ops: [], output };
  call.steps.push(step);
  try {
    const plan = parsePlan({ operations: rawOps, output });
    if (mode === "explore" && plan.operations.some(isSubCall)) {
      throw new OpError(
        plan.operations[0].op,
        undefined,
        "sub-calls are allowed only in commit steps",
      );
    }
    const records = plan.operations.map((op, index): OpRecord => ({
      index,
      op: op.op,
      args: op.args as Record<string, unknown>,
      bind: op.bind,
    }));
    step.ops = records;
    const result = await runPlan(plan, env, {
      executor: settings.executor,
      ports,
      signal: settings.signal
        ? AbortSignal.any([settings.signal, settings.budget.controller.signal])
        : settings.budget.controller.signal,
      onOp: (e) => {
        const r = records[e.index];
        if (e.phase === "end") {
          Object.assign(r, {
            cached: e.cached,
            ms: Math.round(e.ms ?? 0),
            kind: e.kind,
            size: e.size,
            error: e.error,
          });
          if (e.value !== undefined) r.preview = previewValue(e.value, 300);
        }
        settings.onOp?.(call, e);
      },
    });
    settings.onStep?.(call, step);
    const name = result.output;
    return `Result of ${mode} (${name}: ${describeValue(result.binding.value)}):\n${
      previewValue(result.binding.value)
    }`;
  } catch (error) {
    if (settings.budget.exceeded || settings.signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    step.error = message;
    settings.onStep?.(call, step);
    return `Error: ${message}\nFix the step and reply with one JSON step.`;
  }
}

function finalAnswer(
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

function bestFinal(reply: string, env: Map<string, Binding>): string | undefined {
  const parsed = parseStep(reply);
  if (!parsed.ok || parsed.step.mode !== "final") return undefined;
  const answer = finalAnswer(parsed.step, env);
  return answer.ok ? answer.text : undefined;
}

function render(value: Value): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Sub-calls made by `parent` (SPEC §3.4): with one level left, a direct model call with the
 * context inline; with more, a recursive RLM that speaks the protocol itself.
 */
export function createSubCallPort(
  parent: CallRecord,
  settings: LoopSettings & { depth: number; signal?: AbortSignal },
): SubCallPort {
  return {
    async call(
      query: string,
      context: string,
      options: { meta: SubCallMeta; signal?: AbortSignal },
    ) {
      const child: CallRecord = {
        id: settings.nextId(),
        kind: settings.depth > 1 ? "rlm" : "direct",
        depth: parent.depth + 1,
        model: settings.childModel,
        query,
        context_chars: context.length,
        spawned_by: { op: options.meta.op, item: options.meta.index, of: options.meta.of },
        started_ms: Math.round(performance.now() - settings.budget.startedMs),
        steps: [],
        model_calls: [],
        children: [],
      };
      parent.children.push(child);
      try {
        let answer: string;
        if (settings.depth > 1) {
          const env = new Map([["context", { value: context, hash: hashValue(context) }]]);
          answer = await runRlm(query, env, child, {
            ...settings,
            depth: settings.depth - 1,
            signal: options.signal,
          });
        } else {
          if (context.length > settings.maxChildChars) {
            throw new OpError(
              options.meta.op,
              undefined,
              `a sub-call context of ${
                context.length.toLocaleString("en-US")
              } chars exceeds --max-child-chars ${
                settings.maxChildChars.toLocaleString("en-US")
              }; cut it smaller first (chunk with a smaller size or larger n)`,
            );
          }
          const response = await settings.gateway.complete(
            {
              model: settings.childModel,
              messages: directMessages(query, context),
              temperature: settings.temperature,
            },
            child,
            { signal: options.signal },
          );
          answer = response.content.trim();
        }
        child.answer = answer;
        return answer;
      } catch (error) {
        child.error = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        child.ended_ms = Math.round(performance.now() - settings.budget.startedMs);
      }
    },
  };
}

/** The messages of a direct sub-call: the context inline, then the question. */
export function directMessages(query: string, context: string): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        "You answer a question using only the text you are given. Reply with the answer alone, as briefly as the question allows.",
    },
    { role: "user", content: `<text>\n${context}\n</text>\n\nQuestion: ${query}` },
  ];
}
