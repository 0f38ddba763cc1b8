import { assert, assertEquals, assertInstanceOf, assertRejects } from "../../tests/_assert.ts";
import { hashValue } from "../cache/hash.ts";
import { OpError } from "../ops/op_error.ts";
import type { SubCallPort } from "../protocol/ports.ts";
import type { Binding, Value } from "../protocol/value.ts";
import type { Executor, GraphTask, PureOutcome } from "./executor.ts";
import { createLocalExecutor } from "./local/local_executor.ts";
import { parsePlan } from "./parse_plan.ts";
import { type OpEvent, runPlan } from "./run_plan.ts";

function bind(value: Value): Binding {
  return { value, hash: hashValue(value) };
}
function envOf(vars: Record<string, Value>): Map<string, Binding> {
  return new Map(Object.entries(vars).map(([k, v]) => [k, bind(v)]));
}
/** The local executor, recording the size of every batch it is handed. */
function recording(): Executor & { batches: number[] } {
  const inner = createLocalExecutor({});
  const batches: number[] = [];
  return {
    name: "local",
    batches,
    run: (tasks, o) => (batches.push(tasks.length), inner.run(tasks, o)),
  };
}

const LOG = "a ERROR x\nb INFO\nc ERROR y\nd WARN\n";

Deno.test("runPlan chains ops and outputs the last bind by default", async () => {
  const env = envOf({ context: LOG });
  const plan = parsePlan({
    operations: [
      { op: "grep", args: { input: "context", pattern: "ERROR" }, bind: "errors" },
      { op: "count", args: { input: "errors" }, bind: "n" },
    ],
  });
  const result = await runPlan(plan, env, { executor: createLocalExecutor({}) });
  assertEquals(result.output, "n");
  assertEquals(result.binding.value, "2");
  assertEquals(env.get("errors")?.value, "a ERROR x\nc ERROR y\n");
  assertEquals(env.get("n")?.hash, hashValue("2"));
});

Deno.test("runPlan hands independent pure ops to the executor in one batch", async () => {
  const executor = recording();
  const plan = parsePlan({
    operations: [
      { op: "count", args: { input: "context", mode: "lines" }, bind: "lines" },
      { op: "count", args: { input: "context", mode: "words" }, bind: "words" },
      { op: "combine", args: { inputs: ["lines", "words"], strategy: "sum" }, bind: "total" },
    ],
  });
  const result = await runPlan(plan, envOf({ context: LOG }), { executor });
  assertEquals(executor.batches, [2, 1]);
  assertEquals(result.binding.value, "14");
});

Deno.test("runPlan reads the binding each op saw when a name is bound again", async () => {
  const env = envOf({ context: "1\n2\n3\n4" });
  const plan = parsePlan({
    operations: [
      { op: "lines", args: { input: "context", start: 1, end: 3 }, bind: "x" },
      { op: "count", args: { input: "x" }, bind: "before" },
      { op: "lines", args: { input: "x", start: 1, end: 1 }, bind: "x" },
      { op: "count", args: { input: "x" }, bind: "after" },
    ],
    output: "before",
  });
  const result = await runPlan(plan, env, { executor: createLocalExecutor({}) });
  assertEquals(result.binding.value, "3");
  assertEquals(env.get("after")?.value, "1");
  assertEquals(env.get("x")?.value, "1\n");
});

Deno.test("runPlan names the operation and the variable when a variable is missing", async () => {
  const plan = parsePlan({ operations: [{ op: "count", args: { input: "nope" } }] });
  const error = await assertRejects(
    () => runPlan(plan, envOf({ context: "x" }), { executor: createLocalExecutor({}) }),
    OpError,
  );
  assert(
    error.message.startsWith('operation 1 (count): variable "nope" is not defined'),
    error.message,
  );
  assert(error.message.includes("context"), error.message);
});

Deno.test("runPlan keeps the binds of ops that succeeded before one failed", async () => {
  const env = envOf({ context: LOG });
  const plan = parsePlan({
    operations: [
      { op: "count", args: { input: "context" }, bind: "n" },
      { op: "split", args: { input: "n", delimiter: "," }, bind: "parts" },
      { op: "slice", args: { input: "parts", start: 0 }, bind: "bad" },
    ],
  });
  const error = await assertRejects(
    () => runPlan(plan, env, { executor: createLocalExecutor({}) }),
    OpError,
  );
  assert(error.message.startsWith("operation 3 (slice)"), error.message);
  assertEquals(env.get("n")?.value, "4");
  assertEquals(env.get("parts")?.value, ["4"]);
  assertEquals(env.has("bad"), false);
});

Deno.test("runPlan reports an executor failure as a plain error, not bad input", async () => {
  const broken: Executor = { name: "local", run: () => Promise.reject(new Error("store is gone")) };
  const plan = parsePlan({ operations: [{ op: "count", args: { input: "context" } }] });
  const error = await assertRejects(() =>
    runPlan(plan, envOf({ context: "x" }), { executor: broken })
  );
  assertInstanceOf(error, Error);
  assertEquals(error instanceof OpError, false);
  assertEquals(error.message, "operation 1 (count): store is gone");
});

Deno.test("runPlan sends sub-call ops to the port, map results in input order", async () => {
  const seen: string[] = [];
  const port: SubCallPort = {
    async call(query, context, { meta }) {
      seen.push(`${meta.op}:${meta.index}`);
      // Later items answer first: order must still follow the input.
      await new Promise((r) => setTimeout(r, 30 - (meta.index ?? 0) * 10));
      return `${query}(${context})`;
    },
  };
  const plan = parsePlan({
    operations: [
      { op: "split", args: { input: "context", delimiter: "," }, bind: "items" },
      { op: "map", args: { prompt: "up", input: "items" }, bind: "out" },
    ],
  });
  const result = await runPlan(plan, envOf({ context: "a,b,c" }), {
    executor: createLocalExecutor({}),
    ports: { subCall: port },
  });
  assertEquals(result.binding.value, ["up(a)", "up(b)", "up(c)"]);
  assertEquals(seen.sort(), ["map:0", "map:1", "map:2"]);
});

Deno.test("runPlan cancels in-flight sub-calls when an op fails", async () => {
  let aborted = false;
  const port: SubCallPort = {
    call(_q, context, { signal }) {
      if (context === "boom") return Promise.reject(new OpError("rlm_call", undefined, "refused"));
      return new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => {
          aborted = true;
          reject(new Error("cancelled"));
        });
      });
    },
  };
  const plan = parsePlan({
    operations: [
      { op: "rlm_call", args: { query: "slow", context: "a" } },
      { op: "rlm_call", args: { query: "fails", context: "b" } },
    ],
  });
  await assertRejects(
    () =>
      runPlan(plan, envOf({ a: "fine", b: "boom" }), {
        executor: createLocalExecutor({}),
        ports: { subCall: port },
      }),
    OpError,
    "operation 2 (rlm_call): rlm_call: refused",
  );
  assert(aborted, "the slow call saw the abort");
});

Deno.test("runPlan rejects an output that is not bound", async () => {
  const plan = parsePlan({
    operations: [{ op: "count", args: { input: "context" }, bind: "n" }],
    output: "m",
  });
  await assertRejects(
    () => runPlan(plan, envOf({ context: "x" }), { executor: createLocalExecutor({}) }),
    OpError,
    'plan: arg "output": variable "m" is not bound',
  );
});

/** The local executor with a graph runner that runs the nodes one by one, recording each graph. */
function graphRecording(): Executor & { graphs: GraphTask[][] } {
  const inner = createLocalExecutor({});
  const graphs: GraphTask[][] = [];
  return {
    name: "local",
    graphs,
    run: (tasks, o) => inner.run(tasks, o),
    graph: {
      accepts: (op) => op.op !== "eval",
      async run(nodes) {
        graphs.push([...nodes]);
        const outcomes: PureOutcome[] = [];
        for (const node of nodes) {
          const vars = new Map(node.vars);
          let failed = false;
          for (const [name, u] of node.upstream) {
            const o = outcomes[u];
            if (o.ok) vars.set(name, bind(o.value));
            else failed = true;
          }
          outcomes.push(
            failed
              ? { ok: false, error: new Error("input failed"), ms: 0 }
              : (await inner.run([{ op: node.op, vars }]))[0],
          );
        }
        return outcomes;
      },
    },
  };
}

Deno.test("runPlan hands a chain of pure ops to the executor's graph runner at once", async () => {
  const executor = graphRecording();
  const events: OpEvent[] = [];
  const plan = parsePlan({
    operations: [
      { op: "grep", args: { input: "context", pattern: "ERROR" }, bind: "e" },
      { op: "count", args: { input: "e" }, bind: "n" },
      { op: "chunk", args: { input: "e", n: 2 }, bind: "c" },
      { op: "count", args: { input: "context", mode: "words" }, bind: "w" },
    ],
    output: "n",
  });
  const result = await runPlan(plan, envOf({ context: LOG }), {
    executor,
    onOp: (e) => events.push(e),
  });
  assertEquals(result.binding.value, "2");
  assertEquals(executor.graphs.length, 1);
  assertEquals(
    executor.graphs[0].map((n) => [...n.upstream]),
    [[], [["e", 0]], [["e", 0]], []],
  );
  assertEquals(executor.graphs[0][1].vars.size, 0, "an upstream value is not known yet");
  for (const phase of ["start", "end"]) {
    assertEquals(
      events.filter((e) => e.phase === phase).map((e) => e.index).sort(),
      [0, 1, 2, 3],
    );
  }
});

Deno.test("runPlan fails at the failing op of a graph; its dependents end as not run", async () => {
  const events: OpEvent[] = [];
  const plan = parsePlan({
    operations: [
      { op: "count", args: { input: "context", mode: "words" }, bind: "w" },
      { op: "grep", args: { input: "context", pattern: "(x" }, bind: "e" },
      { op: "count", args: { input: "e" }, bind: "n" },
    ],
  });
  const env = envOf({ context: LOG });
  const error = await assertRejects(
    () => runPlan(plan, env, { executor: graphRecording(), onOp: (e) => events.push(e) }),
    OpError,
  );
  assert(error.message.startsWith("operation 2 (grep): "), error.message);
  assertEquals(
    events.find((e) => e.phase === "end" && e.index === 2)?.error,
    "not run: operation 2 (grep) failed",
  );
  assertEquals(env.get("w")?.value, String(LOG.split(/\s+/).filter(Boolean).length));
});

Deno.test("runPlan looks at each op when it becomes ready, not on every round", async () => {
  // A graph runner that takes nothing: the old scheduler asked it about every waiting op after
  // each settle (n²/2 questions for a chain of n); a linear one asks about each op once.
  let asked = 0;
  const inner = createLocalExecutor({});
  const executor: Executor = {
    name: "local",
    run: inner.run,
    graph: { accepts: () => (asked++, false), run: () => Promise.resolve([]) },
  };
  const n = 2000;
  const operations = Array.from({ length: n }, (_, i) => ({
    op: "slice",
    args: { input: i === 0 ? "context" : `v${i - 1}`, start: 0, end: 2 },
    bind: `v${i}`,
  }));
  const result = await runPlan(parsePlan({ operations }), envOf({ context: "abc" }), { executor });
  assertEquals(result.binding.value, "ab");
  assert(asked <= 2 * n, `asked the graph runner ${asked} times for ${n} ops`);
});

Deno.test("runPlan runs an op whose inputs name 200000 variables", async () => {
  const names = Array.from({ length: 200_000 }, (_, i) => `v${i}`);
  const env = new Map(names.map((name, i) => [name, bind(String(i % 10))]));
  const plan = parsePlan({
    operations: [{ op: "combine", args: { inputs: names, strategy: "sum" }, bind: "total" }],
  });
  const result = await runPlan(plan, env, { executor: createLocalExecutor({}) });
  assertEquals(result.binding.value, "900000");
});

Deno.test("runPlan gives the graph runner a diamond at once, and waits at an op it refuses", async () => {
  const executor = graphRecording();
  const plan = parsePlan({
    operations: [
      { op: "grep", args: { input: "context", pattern: "ERROR" }, bind: "e" },
      { op: "count", args: { input: "e" }, bind: "a" },
      { op: "count", args: { input: "e", mode: "words" }, bind: "b" },
      { op: "combine", args: { inputs: ["a", "b"], strategy: "sum" }, bind: "s" },
      { op: "eval", args: { code: "print(1)", inputs: ["s"] }, bind: "p" },
      { op: "count", args: { input: "p" }, bind: "after" },
    ],
    output: "s",
  });
  const error = await assertRejects(() => runPlan(plan, envOf({ context: LOG }), { executor }));
  // eval has no sandbox here: it fails after the graph, so the op after it never ran.
  assert(/operation 5 \(eval\)/.test((error as Error).message), (error as Error).message);
  assertEquals(executor.graphs.length, 1);
  assertEquals(
    executor.graphs[0].map((n) => [...n.upstream]),
    [[], [["e", 0]], [["e", 0]], [["a", 1], ["b", 2]]],
  );
});
