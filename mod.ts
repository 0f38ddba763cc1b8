/**
 * rlm as a library: answer questions about contexts far larger than a model's window.
 *
 * @example Run a DSL plan without a model
 * ```ts
 * import { execPlan } from "./mod.ts";
 * const { value } = await execPlan(
 *   { operations: [{ op: "count", args: { input: "context", mode: "words" } }] },
 *   "three little words",
 * );
 * console.log(value); // "3"
 * ```
 *
 * @module
 */
export { execPlan } from "./src/exec/exec_plan.ts";
export type { ExecPlanOptions, ExecPlanResult } from "./src/exec/exec_plan.ts";
export { parsePlan } from "./src/exec/parse_plan.ts";
export type { Plan } from "./src/exec/parse_plan.ts";
export { runPlan } from "./src/exec/run_plan.ts";
export type { OpEvent, PlanResult, RunPlanOptions } from "./src/exec/run_plan.ts";
export { createLocalExecutor } from "./src/exec/local/local_executor.ts";
export type { Executor, PureOutcome, PureTask } from "./src/exec/executor.ts";
export type { OpPorts } from "./src/ops/types.ts";
export type { SandboxPort, SubCallPort } from "./src/protocol/ports.ts";
export { OpError } from "./src/ops/op_error.ts";
export { BudgetExceededError, InfrastructureError, UsageError } from "./src/protocol/errors.ts";
export type { Binding, Value } from "./src/protocol/value.ts";
export { hashValue } from "./src/cache/hash.ts";
export { rlm } from "./src/loop/rlm.ts";
export type { RlmOptions, RlmResult } from "./src/loop/rlm.ts";
export { settleRlm } from "./src/loop/settle_rlm.ts";
export type { RlmOutcome } from "./src/loop/settle_rlm.ts";
export { defaultPorts } from "./src/loop/default_ports.ts";
export type {
  DefaultPortsOptions,
  EvalPortOptions,
  Ports,
  RlmPorts,
} from "./src/loop/default_ports.ts";
export { DEFAULTS } from "./src/loop/defaults.ts";
export { openModel } from "./src/llm/open_model.ts";
export type { OpenModelOptions } from "./src/llm/open_model.ts";
export { createOpenAIModel } from "./src/llm/openai_model.ts";
export type { ChatRequest, ChatResponse, ModelPort } from "./src/llm/port.ts";
export { loadPricing } from "./src/llm/pricing.ts";
export type { Trace } from "./src/protocol/trace.ts";
