import { createOpenAIModel, loadPricing, rlm } from "../mod.ts";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import {
  isRootRequest,
  lastUserMessage,
  type ReceivedRequest,
  startScriptedServer,
  turnsSoFar,
} from "./fixtures/scripted_server.ts";
import type { Executor } from "../src/exec/executor.ts";
import { maxTurns } from "../src/loop/run_rlm.ts";
import type { SandboxPort } from "../src/protocol/ports.ts";
import { BudgetExceededError, InfrastructureError } from "../src/protocol/errors.ts";
import { SandboxExceptionError, SandboxRuntimeError } from "../src/protocol/sandbox_errors.ts";

async function modelFor(url: string) {
  return createOpenAIModel({ baseUrl: url, pricing: await loadPricing(), retryBaseMs: 1 });
}
const step = (s: unknown) => ({ content: JSON.stringify(s) });

Deno.test("depth 2: a sub-call speaks the protocol itself", async () => {
  await using server = startScriptedServer({
    reply: (r) => {
      const turn = turnsSoFar(r);
      const question = r.messages[1].content;
      if (question.startsWith("Question: How many lines are there?")) {
        // The recursive child: explore, then answer from a variable.
        return turn === 0
          ? step({
            mode: "explore",
            operation: { op: "count", args: { input: "context" }, bind: "n" },
          })
          : step({ mode: "final", answer_var: "n" });
      }
      return turn === 0
        ? step({
          mode: "commit",
          operations: [{
            op: "rlm_call",
            args: { query: "How many lines are there?", context: "context" },
            bind: "a",
          }],
        })
        : step({ mode: "final", answer_var: "a" });
    },
  });
  const result = await rlm({
    query: "root question",
    context: "a\nb\nc\n",
    maxDepth: 2,
    modelPort: await modelFor(server.url),
  });
  assertEquals(result.answer, "3");
  assertEquals(
    server.requests.filter(isRootRequest).length,
    4,
    "two protocol turns for the root, two for the child",
  );
  assertEquals(result.trace.root?.children[0].kind, "rlm");
  assertEquals(result.trace.root?.children[0].depth, 1);
});

Deno.test("a direct sub-call over --max-child-chars is refused with an error the parent sees", async () => {
  await using server = startScriptedServer({
    reply: (r) =>
      turnsSoFar(r) === 0
        ? step({
          mode: "commit",
          operations: [{ op: "rlm_call", args: { query: "summarise", context: "context" } }],
        })
        : step({
          mode: "final",
          answer: lastUserMessage(r).includes("exceeds --max-child-chars 100")
            ? "told"
            : "not told",
        }),
  });
  const result = await rlm({
    query: "q",
    context: "x".repeat(500),
    maxChildChars: 100,
    modelPort: await modelFor(server.url),
  });
  assertEquals(result.answer, "told");
  assertEquals(server.requests.length, 2, "the oversized sub-call never reached the model");
});

Deno.test("depth 0 offers no sub-calls, and a plan using one gets a clear error", async () => {
  await using server = startScriptedServer({
    reply: (r) =>
      turnsSoFar(r) === 0
        ? step({
          mode: "commit",
          operations: [{ op: "split", args: { input: "context", delimiter: "," }, bind: "p" }, {
            op: "map",
            args: { prompt: "x", input: "p" },
          }],
        })
        : step({
          mode: "final",
          answer: lastUserMessage(r).includes("sub-calls are not available") ? "ok" : "no",
        }),
  });
  const result = await rlm({
    query: "q",
    context: "a,b",
    maxDepth: 0,
    modelPort: await modelFor(server.url),
  });
  assertEquals(result.answer, "ok");
  assert(!server.requests[0].messages[0].content.includes("- map {prompt, input}"));
});

Deno.test("root requests stay small on a 5 MB context, whatever the model asks to see", async () => {
  const context = "0123456789abcdef".repeat(5 * 1024 * 1024 / 16);
  await using server = startScriptedServer({
    reply: (r) => {
      const turn = turnsSoFar(r);
      if (turn === 0) {
        return step({
          mode: "explore",
          operation: { op: "slice", args: { input: "context", end: 3_000_000 }, bind: "big" },
        });
      }
      if (turn === 1) {
        return step({
          mode: "explore",
          operation: { op: "chunk", args: { input: "context", n: 64 }, bind: "c" },
        });
      }
      return step({ mode: "final", answer: "done" });
    },
  });
  const result = await rlm({ query: "q", context, modelPort: await modelFor(server.url) });
  assertEquals(result.answer, "done");
  for (const r of server.requests) {
    assert(r.bytes < 64 * 1024, `a root request of ${r.bytes} bytes`);
  }
  assert(
    server.requests[1].messages.at(-1)?.content.includes("3,000,000 chars"),
    "the full size is stated",
  );
});

/** A root that runs one eval, then answers with what it was told. */
function evalThenTell(r: ReceivedRequest) {
  return turnsSoFar(r) === 0
    ? step({ mode: "explore", operation: { op: "eval", args: { code: "print(1)" } } })
    : step({ mode: "final", answer: lastUserMessage(r).slice(0, 200) });
}

const sandboxThat = (error: Error): SandboxPort => ({
  identity: "fake",
  run: () => Promise.reject(error),
});

Deno.test("only the model's own mistakes go back to it: a Python exception does, a broken sandbox does not", async () => {
  await using server = startScriptedServer({ reply: evalThenTell });
  const model = await modelFor(server.url);
  const told = await rlm({
    query: "q",
    context: "x",
    modelPort: model,
    sandbox: sandboxThat(new SandboxExceptionError("ZeroDivisionError: division by zero")),
  });
  assert(told.answer.includes("ZeroDivisionError"), told.answer);
  for (
    const broken of [
      new SandboxRuntimeError("the sandbox process exited with signal SIGSEGV"),
      new InfrastructureError("sandbox", "cannot start the sandbox"),
    ]
  ) {
    const before = server.requests.length;
    const error = await rlm({
      query: "q",
      context: "x",
      modelPort: model,
      sandbox: sandboxThat(broken),
    })
      .then(() => undefined, (e) => e);
    assert(error instanceof InfrastructureError, String(error));
    assertEquals(error.component, "sandbox");
    assertEquals(server.requests.length - before, 1, "the model was not asked to fix it");
  }
});

Deno.test("a failed Nix build (a plain executor failure) ends the run as an InfrastructureError", async () => {
  await using server = startScriptedServer({
    reply: (r) =>
      turnsSoFar(r) === 0
        ? step({ mode: "explore", operation: { op: "count", args: { input: "context" } } })
        : step({ mode: "final", answer: "the model went on" }),
  });
  const executor: Executor = {
    name: "nix",
    run: (tasks) =>
      Promise.resolve(tasks.map(() => ({
        ok: false as const,
        error: new Error("The Nix build of op count (/nix/store/x.drv) failed: builder crashed"),
        ms: 1,
      }))),
  };
  const error = await rlm({
    query: "q",
    context: "x",
    modelPort: await modelFor(server.url),
    executor,
  })
    .then(() => undefined, (e) => e);
  assert(error instanceof InfrastructureError, String(error));
  assertMatch(error.message, /The Nix build of op count/);
  assertEquals(server.requests.length, 1);
});

Deno.test("after a time budget runs out, the best-answer request has its own deadline", async () => {
  await using server = startScriptedServer({ reply: () => ({ hang: true }) });
  const error = await rlm({
    query: "q",
    context: "x",
    modelPort: await modelFor(server.url),
    timeoutMs: 200,
  }).then(() => undefined, (e) => e);
  assert(error instanceof BudgetExceededError, String(error));
  assertEquals(error.budget, "timeout");
  assertEquals(error.partial, undefined);
  assertEquals(server.requests.length, 2);
});

Deno.test("a root that never gives a final answer ends with the turns budget after maxTurns() + 1 requests", async () => {
  await using server = startScriptedServer({
    reply: () => step({ mode: "explore", operation: { op: "count", args: { input: "context" } } }),
  });
  const error = await rlm({
    query: "q",
    context: "x",
    modelPort: await modelFor(server.url),
    maxExplore: 4,
    maxCommits: 2,
  }).then(() => undefined, (e) => e);
  assert(error instanceof BudgetExceededError, String(error));
  assertEquals(error.budget, "turns");
  assert(server.requests.length <= maxTurns({ maxExplore: 4, maxCommits: 2 }) + 1);
});
