/**
 * Sub-call fan-out and orchestration overhead against a scripted server with fixed latency
 * (issue 3's targets), and root request size and memory on a huge context.
 *
 * @module
 */
import OpenAI from "openai";
import { execPlan } from "../src/exec/exec_plan.ts";
import { createOpenAIModel } from "../src/llm/openai_model.ts";
import { BUILTIN_PRICES } from "../src/llm/pricing.ts";
import { planSubCalls } from "../src/loop/plan_sub_calls.ts";
import { createLocalExecutor } from "../src/exec/local/local_executor.ts";
import {
  isRootRequest,
  startScriptedServer,
  turnsSoFar,
} from "../tests/fixtures/scripted_server.ts";
import type { BenchContext, BenchRow, BenchSuite } from "./_types.ts";
import { sampleProcess } from "./_measure.ts";
import { rlmArgv } from "./_rlm.ts";
import { writeSyntheticLog } from "./_synthetic_log.ts";

/** The fan-out suite. */
export const fanoutSuite: BenchSuite = {
  id: "fanout",
  title: "Sub-call fan-out, orchestration overhead, root requests on a huge context",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    return [...await fanOut(ctx), await overhead(ctx), ...await hugeContext(ctx)];
  },
};

async function fanOut(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  await using server = startScriptedServer({ reply: () => ({ content: "1", delayMs: 200 }) });
  for (const [n, parallel] of [[256, 32], [64, 8]] as const) {
    ctx.log(`${n} direct sub-calls, 200 ms each, --max-parallel ${parallel}`);
    const items = Array.from({ length: n }, (_, i) => `item ${i}`).join("\n");
    const sub = planSubCalls({
      model: "bench-model",
      baseUrl: server.url,
      modelPort: createOpenAIModel({ baseUrl: server.url, pricing: BUILTIN_PRICES }),
      maxDepth: 1,
      maxParallel: parallel,
      maxChildChars: 400_000,
      executor: createLocalExecutor({}),
    });
    const start = performance.now();
    const { value } = await execPlan(
      {
        operations: [
          { op: "split", args: { input: "context", delimiter: "\n" }, bind: "items" },
          { op: "map", args: { prompt: "Reply 1", input: "items" }, bind: "ones" },
          { op: "combine", args: { inputs: ["ones"], strategy: "sum" } },
        ],
      },
      items,
      { ports: { subCall: sub.port } },
    );
    const seconds = (performance.now() - start) / 1000;
    sub.budget.dispose();
    if (value !== String(n)) throw new Error(`fan-out summed ${value}, expected ${n}`);
    const ideal = (n / parallel) * 0.2;
    rows.push({
      name: `${n} sub-calls x 200 ms, max-parallel ${parallel}`,
      value: seconds,
      unit: "s",
      reference: { name: "ideal", value: ideal },
      target: "≤ 1.2x ideal",
      pass: seconds <= 1.2 * ideal,
    });
  }
  return rows;
}

async function overhead(ctx: BenchContext): Promise<BenchRow> {
  const n = ctx.quick ? 100 : 300;
  ctx.log(`orchestration overhead: ${n} sequential calls, raw client vs rlm's gateway`);
  await using server = startScriptedServer({ reply: () => ({ content: "ok" }) });
  const raw = new OpenAI({ apiKey: "x", baseURL: server.url, maxRetries: 0 });
  const messages = [{ role: "user" as const, content: "hello" }];
  for (let i = 0; i < 20; i++) await raw.chat.completions.create({ model: "m", messages });
  let start = performance.now();
  for (let i = 0; i < n; i++) await raw.chat.completions.create({ model: "m", messages });
  const rawMs = (performance.now() - start) / n;
  const sub = await planSubCalls({
    model: "m",
    modelPort: createOpenAIModel({ baseUrl: server.url, pricing: BUILTIN_PRICES }),
    maxDepth: 1,
    maxParallel: 1,
    maxChildChars: 400_000,
    executor: createLocalExecutor({}),
  });
  start = performance.now();
  for (let i = 0; i < n; i++) {
    await sub.port.call("q", `context ${i}`, { meta: { op: "rlm_call" } });
  }
  const ourMs = (performance.now() - start) / n;
  sub.budget.dispose();
  const extra = Math.max(0, ourMs - rawMs);
  return {
    name: "orchestration overhead per model call (gateway, budget, trace record)",
    value: extra,
    unit: "ms",
    reference: { name: "raw openai client round trip", value: rawMs },
    target: "< 5 ms",
    pass: extra < 5,
  };
}

async function hugeContext(ctx: BenchContext): Promise<BenchRow[]> {
  const mb = ctx.quick ? 50 : 500;
  const log = `${ctx.tmpDir}/huge.log`;
  ctx.log(`writing a ${mb} MB log for rlm run`);
  await writeSyntheticLog(log, mb * 1024 * 1024);
  await using server = startScriptedServer({
    reply: (r) => {
      if (!isRootRequest(r)) return { content: "0" };
      const turn = turnsSoFar(r);
      if (turn === 0) {
        return {
          content:
            '{"mode":"explore","operation":{"op":"grep","args":{"input":"context","pattern":"ERROR"},"bind":"e"}}',
        };
      }
      if (turn === 1) {
        return {
          content: '{"mode":"explore","operation":{"op":"count","args":{"input":"e"},"bind":"n"}}',
        };
      }
      return { content: '{"mode":"final","answer_var":"n"}' };
    },
  });
  const run = await sampleProcess(
    await rlmArgv([
      "run",
      "-q",
      "How many errors?",
      "-c",
      log,
      "--base-url",
      server.url,
      "--no-cache",
    ]),
  );
  const largest = Math.max(...server.requests.map((r) => r.bytes));
  return [
    {
      name: `largest root request, ${mb} MB context`,
      value: largest / 1024,
      unit: "KB",
      target: "≤ 64 KB",
      pass: largest <= 64 * 1024,
    },
    {
      name: `rlm run peak RSS, ${mb} MB context (grep + count + final)`,
      value: run.peakMb,
      unit: "MB",
      reference: { name: "context size", value: mb },
      target: "< 3x context size",
      pass: run.peakMb < 3 * mb,
      note: `${run.seconds.toFixed(1)} s whole process`,
    },
  ];
}
