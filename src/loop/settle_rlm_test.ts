import { assert, assertEquals, assertRejects } from "../../tests/_assert.ts";
import type { ChatRequest, ChatResponse, ModelPort } from "../llm/port.ts";
import { BudgetExceededError } from "../protocol/errors.ts";
import { defaultPorts } from "./default_ports.ts";
import { rlm } from "./rlm.ts";
import { settleRlm } from "./settle_rlm.ts";

/** A model port that answers each request with `reply(request, n)`, n counting from 0. */
function scripted(reply: (request: ChatRequest, n: number) => unknown): ModelPort {
  let n = 0;
  return {
    complete: (request): Promise<ChatResponse> =>
      Promise.resolve({
        content: JSON.stringify(reply(request, n++)),
        usage: { promptTokens: 10, completionTokens: 1 },
        costUsd: 0.001,
        cached: false,
        latencyMs: 0,
        retries: 0,
      }),
  };
}

const explore = { mode: "explore", operation: { op: "count", args: { input: "context" } } };

Deno.test("a run that answers settles to its result, with the defaults in its trace", async () => {
  const outcome = await settleRlm({
    query: "q",
    context: "a b c",
    modelPort: scripted(() => ({ mode: "final", answer: "42" })),
  });
  assert(outcome.status === "answered", outcome.status);
  assertEquals(outcome.result.answer, "42");
  assertEquals(outcome.result.trace.status, "answered");
  const { model, max_explore, max_commits, max_depth, max_parallel, executor } =
    outcome.result.trace.options;
  assertEquals(
    [model, max_explore, max_commits, max_depth, max_parallel, executor],
    ["gpt-5-mini", 20, 5, 1, 8, "local"],
  );
});

Deno.test("a run whose budget runs out settles to the error, the trace so far and the partial answer", async () => {
  const options = () => ({
    query: "q",
    context: "a b c",
    modelPort: scripted((_r, n) => n === 0 ? explore : { mode: "final", answer: "about 3" }),
    maxLlmCalls: 1,
  });
  const outcome = await settleRlm(options());
  assert(outcome.status === "budget_exceeded", outcome.status);
  assert(outcome.error instanceof BudgetExceededError);
  assertEquals(outcome.partial, "about 3");
  assertEquals([outcome.trace.status, outcome.trace.answer], ["budget_exceeded", "about 3"]);
  assertEquals(outcome.trace.totals.llm_calls, 2, "the one call, then the best-answer request");
  // rlm() is the same run, throwing what ended it.
  const error = await assertRejects(() => rlm(options()), BudgetExceededError);
  assertEquals([error.budget, error.partial], ["llm_calls", "about 3"]);
});

Deno.test("defaultPorts builds no model port for a plan of pure ops, and the local executor", async () => {
  const ports = await defaultPorts({ models: [] });
  assertEquals(ports.modelPort, undefined);
  assertEquals([ports.executor.name, ports.store, ports.sandbox], ["local", undefined, undefined]);
});
