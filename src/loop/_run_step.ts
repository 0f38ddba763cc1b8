/**
 * One explore or commit step of a call: run its plan and describe the result for the model, or
 * tell the model what it got wrong. Failures that are not the model's end the run.
 *
 * @module
 */
import { parsePlan } from "../exec/parse_plan.ts";
import { runPlan } from "../exec/run_plan.ts";
import { OpError } from "../ops/op_error.ts";
import type { SandboxPort, SubCallPort } from "../protocol/ports.ts";
import { isSubCall } from "../ops/is_sub_call.ts";
import type { CallRecord, OpRecord, StepRecord } from "../protocol/trace.ts";
import type { Binding } from "../protocol/value.ts";
import { asInfrastructure, isModelMistake } from "./model_mistake.ts";
import { describeValue, previewValue } from "./preview.ts";
import type { LoopSettings } from "./run_rlm.ts";

/**
 * Run one step's operations in `env` and return the message for the model: the result's
 * preview, or the model's mistake. Throws when a budget ran out, the run was interrupted, or
 * the machinery failed (an `InfrastructureError`).
 */
export async function runStep(
  step: { mode: "explore" | "commit"; operations: unknown[]; output?: string },
  env: Map<string, Binding>,
  call: CallRecord,
  settings: LoopSettings & { signal?: AbortSignal },
  ports: { subCall?: SubCallPort; sandbox?: SandboxPort },
): Promise<string> {
  const { mode, output } = step;
  const record: StepRecord = { mode, ops: [], output };
  call.steps.push(record);
  try {
    const plan = parsePlan({ operations: step.operations, output });
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
    record.ops = records;
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
    settings.onStep?.(call, record);
    return `Result of ${mode} (${result.output}: ${describeValue(result.binding.value)}):\n${
      previewValue(result.binding.value)
    }`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    record.error = message;
    if (settings.budget.exceeded || settings.signal?.aborted) throw error;
    settings.onStep?.(call, record);
    if (!isModelMistake(error)) throw asInfrastructure(error);
    return `Error: ${message}\nFix the step and reply with one JSON step.`;
  }
}
