/**
 * The RLM loop (docs/reference/protocol.md): the model explores with single ops, commits plans, and answers.
 * The root never sees the context: only variable names, kinds, sizes and result previews.
 *
 * Every call is bounded by the loop's shape: at most `maxTurns()` protocol turns (one model
 * request each), then one request for a final answer, whatever the model replies. Using up
 * `maxExplore` alone does not end the turns: a further explore step is refused with an error
 * telling the model to commit or answer. The request for a final answer comes once both explores
 * and commits are used up, after `maxBadReplies` invalid or refused replies in a row, or after
 * `maxTurns()` turns. When a budget runs out, the root is asked once more, outside the budget,
 * for its best (partial) answer.
 *
 * @module
 */
import { hashValue } from "../cache/hash.ts";
import type { Executor } from "../exec/executor.ts";
import type { OpEvent } from "../exec/run_plan.ts";
import { OpError } from "../ops/op_error.ts";
import type { SandboxPort, SubCallMeta, SubCallPort } from "../protocol/ports.ts";
import { BudgetExceededError } from "../protocol/errors.ts";
import type { CallRecord, StepRecord } from "../protocol/trace.ts";
import type { Binding } from "../protocol/value.ts";
import type { ChatMessage } from "../llm/port.ts";
import type { Budget } from "./budget.ts";
import type { Gateway } from "./gateway.ts";
import { bestFinal, finalAnswer } from "./_final_answer.ts";
import { runStep } from "./_run_step.ts";
import { parseStep } from "./parse_step.ts";
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
  /** Invalid or refused replies in a row after which the model is asked for its final answer. */
  maxBadReplies: number;
  maxChildChars: number;
  temperature?: number;
  /** Progress: a step or op happened in `call`. */
  onStep?: (call: CallRecord, step: StepRecord) => void;
  onOp?: (call: CallRecord, event: OpEvent) => void;
  /** New call ids. */
  nextId: () => number;
}

/** Protocol turns a call has beyond its explore and commit steps (invalid or refused replies). */
export const SPARE_TURNS = 3;

/**
 * The protocol turns of one call: `maxExplore + maxCommits + SPARE_TURNS`. After them comes one
 * request for the final answer, so a call makes at most `maxTurns() + 1` model requests.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(maxTurns({ maxExplore: 20, maxCommits: 5 }), 28);
 * ```
 */
export function maxTurns(limits: { maxExplore: number; maxCommits: number }): number {
  return limits.maxExplore + limits.maxCommits + SPARE_TURNS;
}

/**
 * Answer `query` about the variables in `env`, speaking the protocol, with sub-calls allowed
 * to `depth` more levels. Returns the answer; `call` receives the record of everything. A root
 * that gives no final answer throws `BudgetExceededError` (`turns`); a sub-call, an `OpError`
 * for its parent.
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
  const { maxExplore, maxCommits } = settings;
  let explores = 0;
  let commits = 0;
  let bad = 0;
  const ask = async (signal = settings.signal, bypassBudget = false) => {
    const response = await settings.gateway.complete(
      { model: call.model, messages, temperature: settings.temperature },
      call,
      { signal, bypassBudget },
    );
    messages.push({ role: "assistant", content: response.content });
    return response.content;
  };
  const tell = (content: string) => messages.push({ role: "user", content });
  const record = (step: StepRecord) => {
    call.steps.push(step);
    settings.onStep?.(call, step);
  };
  const mistake = (mode: StepRecord["mode"], error: string) => {
    bad++;
    record({ mode, ops: [], error });
    tell(`Error: ${error}`);
  };
  /** One turn: the answer if the reply was a valid final step. */
  const turn = async (reply: string): Promise<string | undefined> => {
    const parsed = parseStep(reply);
    if (!parsed.ok) return void mistake("invalid", parsed.error);
    const step = parsed.step;
    if (step.mode === "final") {
      const answer = finalAnswer(step, env);
      if (!answer.ok) return void mistake("final", answer.error);
      record({ mode: "final", ops: [], answer: answer.text });
      return answer.text;
    }
    if (step.mode === "explore" ? explores >= maxExplore : commits >= maxCommits) {
      const left = step.mode === "explore"
        ? `no explore steps left (limit ${maxExplore}); commit a plan or give your final answer`
        : `no commits left (limit ${maxCommits}); give your final answer`;
      return void mistake(step.mode, left);
    }
    bad = 0;
    if (step.mode === "explore") explores++;
    else commits++;
    const operations = step.mode === "explore" ? [step.operation] : step.operations;
    const output = step.mode === "commit" ? step.output : undefined;
    tell(await runStep({ mode: step.mode, operations, output }, env, call, settings, ports));
    return undefined;
  };

  const turns = maxTurns(settings);
  try {
    for (let t = 0; t < turns; t++) {
      if (explores >= maxExplore && commits >= maxCommits || bad >= settings.maxBadReplies) break;
      const answer = await turn(await ask());
      if (answer !== undefined) return answer;
    }
    tell(
      `You have used your steps (${explores} explores, ${commits} commits). Reply now with {"mode": "final", ...} and your best answer.`,
    );
    const last = bestFinal(await ask(), env);
    if (last !== undefined) {
      record({ mode: "final", ops: [], answer: last });
      return last;
    }
  } catch (error) {
    const stopped = settings.budget.exceeded;
    if (!stopped || call.kind !== "root") throw error;
    // A budget ran out: ask the root once, outside the budget but within a grace deadline, for
    // its best answer.
    tell(
      `${stopped.message}. No more operations can run. Reply now with your best final answer from what you have.`,
    );
    const partial = await ask(settings.budget.graceSignal(settings.signal), true).then(
      (reply) => bestFinal(reply, env),
      () => undefined,
    );
    throw new BudgetExceededError(stopped.budget, stopped.message, { cause: error, partial });
  }
  const why = `gave no final answer in ${turns + 1} model turns`;
  // A sub-call's record always says which op spawned it; the op's error is the model's to handle.
  const spawner = call.spawned_by?.op;
  if (call.kind === "root" || spawner === undefined) {
    throw new BudgetExceededError("turns", `The ${call.kind} model ${why}`);
  }
  throw new OpError(spawner, undefined, `the sub-call's model ${why}`);
}

/**
 * Sub-calls made by `parent` (docs/reference/protocol.md): with one level left, a direct model call with the
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
