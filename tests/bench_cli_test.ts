import { sniah, SUITES } from "../src/bench/generators.ts";
import { runBench } from "../src/bench/run_bench.ts";
import { createOpenAIModel } from "../src/llm/openai_model.ts";
import { BUILTIN_PRICES } from "../src/llm/pricing.ts";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { benchPolicy } from "./fixtures/bench_policy.ts";
import { startScriptedServer } from "./fixtures/scripted_server.ts";

/** `rlm bench run` of `<dir>/tasks.jsonl` with rlm-d0 and direct against `url`, into `<dir>/<out>`. */
function benchBothMethods(
  dir: string,
  url: string,
  out: string,
  flags: string[],
  env?: Record<string, string>,
) {
  return runCli([
    "bench",
    "run",
    "--tasks",
    `${dir}/tasks.jsonl`,
    "--methods",
    "rlm-d0,direct",
    "--base-url",
    url,
    "--out",
    `${dir}/${out}`,
    ...flags,
  ], { env });
}

Deno.test("generated tasks are deterministic by seed", () => {
  assertEquals(sniah(2 ** 13, 1), sniah(2 ** 13, 1));
  assert(
    sniah(2 ** 13, 1).answer !== sniah(2 ** 13, 2).answer ||
      sniah(2 ** 13, 1).context !== sniah(2 ** 13, 2).context,
  );
  const t = sniah(2 ** 13, 3);
  assert(Math.abs(t.context!.length / 4 - 2 ** 13) < 200, "about 4 characters per token");
});

Deno.test("the harness runs every method on the paper-small suite, scores, resumes and reports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlm-bench-test-" });
  try {
    await using server = startScriptedServer({ reply: benchPolicy });
    const tasks = SUITES["paper-small"](1);
    const out = `${dir}/results.jsonl`;
    const modelPort = createOpenAIModel({ baseUrl: server.url, pricing: BUILTIN_PRICES });
    const results = await runBench({
      tasks,
      methods: ["rlm-d1", "direct"],
      model: "gpt-5-mini",
      modelPort,
      out,
      windowChars: 100_000,
    });
    assertEquals(results.length, tasks.length * 2);
    for (const r of results.filter((r) => r.method === "rlm-d1")) {
      assertEquals(
        r.score,
        1,
        `${r.task_id}: ${r.answer} vs ${JSON.stringify(r.expected)} ${r.error ?? ""}`,
      );
      assert(r.cost_usd !== null && r.cost_usd > 0, "cost is measured");
    }
    const direct = results.filter((r) => r.method === "direct");
    assert(direct.some((r) => r.truncated), "contexts over the window are truncated and marked");
    for (const r of direct.filter((r) => !r.truncated)) assertEquals(r.score, 1, r.task_id);
    const big = direct.find((r) => r.task_id === "sniah-131072-1")!;
    assert(big.truncated);

    const before = server.requests.length;
    const again = await runBench({
      tasks,
      methods: ["rlm-d1", "direct"],
      model: "gpt-5-mini",
      modelPort,
      out,
      windowChars: 100_000,
    });
    assertEquals(again.length, 0, "a rerun resumes: nothing is run twice");
    assertEquals(server.requests.length, before);

    const limited = runBench({
      tasks,
      methods: ["rlm-d2"],
      model: "gpt-5-mini",
      modelPort,
      out: `${dir}/limited.jsonl`,
      windowChars: 100_000,
      maxCostUsd: 0.000001,
    });
    const stopped = await limited.then(() => undefined, (e: Error) => e);
    assertEquals(stopped?.name, "BudgetExceededError", "the bench stops at its cost budget");
    assertEquals((await Deno.readTextFile(`${dir}/limited.jsonl`)).trim().split("\n").length, 1);

    const report = await runCli(["bench", "report", out, "--svg", `${dir}/chart.svg`]);
    assertEquals(report.code, 0, report.stderr);
    assertMatch(report.stdout, /\| sniah \| 8192 \| rlm-d1 \| 1 \| 100\.0 \|/);
    assertMatch(report.stdout, /truncated/);
    const svg = await Deno.readTextFile(`${dir}/chart.svg`);
    assert(svg.startsWith("<svg") && svg.includes("rlm-d1") && svg.includes("<polyline"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rlm bench run through the CLI, with user tasks from JSONL, and clear errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlm-bench-cli-" });
  try {
    await using server = startScriptedServer({ reply: benchPolicy });
    await Deno.writeTextFile(
      `${dir}/ctx.txt`,
      "noise\nThe special magic number for amber-falcon is 1234567.\nmore noise\n",
    );
    await Deno.writeTextFile(
      `${dir}/tasks.jsonl`,
      JSON.stringify({
        id: "mine",
        question:
          "What is the special magic number for amber-falcon mentioned in the text? Reply with the number only.",
        answer: "1234567",
        answer_type: "exact",
        context_file: "ctx.txt",
      }) + "\n",
    );
    const run = await benchBothMethods(dir, server.url, "r.jsonl", ["--no-cache"]);
    assertEquals(run.code, 0, run.stderr);
    assertMatch(run.stderr, /\[#{20}\] 2\/2/);
    assertMatch(run.stdout, /\| custom \| - \| rlm-d0 \| 1 \| 100\.0 \|/);
    const bad = await runCli([
      "bench",
      "run",
      "--methods",
      "magic",
      "--out",
      `${dir}/x.jsonl`,
      "--base-url",
      server.url,
    ]);
    assertEquals(bad.code, 2);
    assertMatch(bad.stderr, /Unknown method "magic"/);
    await Deno.writeTextFile(`${dir}/bad.jsonl`, '{"id": "x"}\n');
    const badTasks = await runCli([
      "bench",
      "run",
      "--tasks",
      `${dir}/bad.jsonl`,
      "--out",
      `${dir}/y.jsonl`,
    ]);
    assertEquals(badTasks.code, 2);
    assertMatch(badTasks.stderr, /Tasks file .*line 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rlm bench caches both methods' model calls, keyed by --base-url: another endpoint is asked anew", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlm-bench-endpoints-" });
  try {
    const answering = (n: string) => () => ({ content: `{"mode": "final", "answer": "${n}"}` });
    await using first = startScriptedServer({ reply: answering("111") });
    await using second = startScriptedServer({ reply: answering("222") });
    await Deno.writeTextFile(
      `${dir}/tasks.jsonl`,
      JSON.stringify({
        id: "n",
        question: "Which number?",
        answer: "222",
        answer_type: "exact",
        context: "x",
      }) +
        "\n",
    );
    const bench = (url: string, out: string) =>
      benchBothMethods(dir, url, out, ["--cache-dir", `${dir}/cache`], {
        OPENAI_BASE_URL: first.url,
      });
    assertEquals((await bench(first.url, "a.jsonl")).code, 0);
    const other = await bench(second.url, "b.jsonl");
    assertEquals(other.code, 0, other.stderr);
    assertEquals(second.requests.length, 2, "the second endpoint was asked, once per method");
    const results = async (out: string) =>
      (await Deno.readTextFile(`${dir}/${out}`)).trim().split("\n").map((l) => JSON.parse(l));
    const [rlmResult] = await results("b.jsonl");
    assertEquals(rlmResult.answer, "222");
    // The same endpoint again is a cache hit for both methods: no call, no cost, no tokens.
    assertEquals((await bench(second.url, "c.jsonl")).code, 0);
    assertEquals(second.requests.length, 2, "served from the cache");
    for (const r of await results("c.jsonl")) {
      assertEquals([r.llm_calls, r.cost_usd, r.tokens], [0, 0, 0], r.method);
    }
    const direct = (await results("c.jsonl")).find((r) => r.method === "direct");
    assertEquals(
      direct.answer,
      (await results("b.jsonl")).find((r) => r.method === "direct").answer,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
