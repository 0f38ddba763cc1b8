import { chromium } from "playwright-core";
import { type Trace, TraceSchema } from "../src/protocol/trace.ts";
import { fullMessages } from "../src/trace/call_messages.ts";
import { renderTraceHtml } from "../src/trace/render_html.ts";
import { writeTrace } from "../src/trace/write_trace.ts";
import { rlmArgv } from "../perf/_rlm.ts";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { needTools, skipUnless, which } from "./_tools.ts";
import { isRootRequest, startScriptedServer, turnsSoFar } from "./fixtures/scripted_server.ts";

const CHROMIUM = which("chromium") ?? "/usr/bin/chromium";
const noChromium = needTools(["chromium"], "apt-get install chromium");

/** Debian's Chromium, headless, with the flags that keep it off the closed network. */
function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
const EVIL = "</script><img src=x onerror=\"document.title='pwned'\">";
const SECRET = "sk-test-secret-do-not-leak";

/** A root that maps over 8 chunks; child 5 answers with markup, the others with numbers. */
function policy(r: { messages: { role: string; content: string }[] }) {
  if (!isRootRequest(r as never)) {
    const text = r.messages[1].content;
    return { content: text.includes("id=5") && !text.includes("id=50") ? EVIL : "3" };
  }
  const turn = turnsSoFar(r as never);
  if (turn === 0) {
    return {
      content: JSON.stringify({
        mode: "commit",
        operations: [
          { op: "split", args: { input: "context", delimiter: "\n" }, bind: "lines" },
          { op: "map", args: { prompt: "Count", input: "lines" }, bind: "counts" },
          { op: "combine", args: { inputs: ["counts"], strategy: "sum" }, bind: "total" },
        ],
      }),
    };
  }
  return { content: '{"mode":"final","answer_var":"total"}' };
}

async function tracedRun(dir: string, url: string, extra: string[] = []) {
  const log = Array.from({ length: 8 }, (_, i) => `line id=${i}`).join("\n");
  await Deno.writeTextFile(`${dir}/ctx.log`, log);
  return await runCli(
    [
      "run",
      "-q",
      "How many?",
      "-c",
      `${dir}/ctx.log`,
      "--base-url",
      url,
      "--no-cache",
      "--trace",
      `${dir}/t.json`,
      ...extra,
    ],
    { env: { OPENAI_API_KEY: SECRET } },
  );
}

Deno.test("a trace round-trips through its schema and keeps secrets out", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using server = startScriptedServer({ reply: policy });
    const run = await tracedRun(dir, server.url);
    assertEquals(run.code, 0, run.stderr);
    const text = await Deno.readTextFile(`${dir}/t.json`);
    assert(!text.includes(SECRET), "the API key is not in the trace");
    const trace = TraceSchema.parse(JSON.parse(text));
    assertEquals(TraceSchema.parse(JSON.parse(JSON.stringify(trace))), trace);
    assertEquals(trace.version, 2);
    assertEquals(trace.root?.children.length, 8);
    assertEquals(trace.root?.steps[0].ops.map((o) => o.op), ["split", "map", "combine"]);
    assertEquals(trace.totals.llm_calls, 10);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a trace is written when the run fails and when it is interrupted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using refusing = startScriptedServer({ reply: () => ({ status: 401 }) });
    const failed = await tracedRun(dir, refusing.url);
    assertEquals(failed.code, 1);
    const t1 = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/t.json`)));
    assertEquals(t1.status, "failed");
    assertMatch(t1.error ?? "", /answered 401/);

    await using slow = startScriptedServer({ reply: () => ({ content: "{}", delayMs: 60_000 }) });
    const [cmd, ...args] = await rlmArgv([
      "run",
      "-q",
      "q",
      "-c",
      `${dir}/ctx.log`,
      "--base-url",
      slow.url,
      "--no-cache",
      "--trace",
      `${dir}/t2.json`,
    ]);
    const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .spawn();
    for (let i = 0; i < 200 && slow.requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill("SIGINT");
    const out = await child.output();
    assertEquals(out.code, 1);
    assertMatch(new TextDecoder().decode(out.stderr), /Interrupted/);
    const t2 = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/t2.json`)));
    assertEquals(t2.status, "interrupted");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  ...skipUnless(
    "rlm trace view renders an offline page that Chromium shows, with untrusted text kept as text",
    noChromium,
  ),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await using server = startScriptedServer({ reply: policy });
      assertEquals((await tracedRun(dir, server.url)).code, 0);
      const view = await runCli(["trace", "view", `${dir}/t.json`, "-o", `${dir}/t.html`]);
      assertEquals(view.code, 0, view.stderr);
      const html = await Deno.readTextFile(`${dir}/t.html`);
      assert(!/https?:\/\//.test(html), "no URL in the page: it needs no network");
      assert(
        !/\b(src|href)=/i.test(
          html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, ""),
        ),
      );

      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on("request", (r) => requests.push(r.url()));
        await page.goto(`file://${dir}/t.html`);
        assertMatch(await page.locator("header").innerText(), /Answer: .*21/s);
        await page.locator("#tree .row button.toggle").first().click();
        assertEquals(await page.locator("#tree .kids > .node").count(), 8);
        const evilRow = page.locator(".kids .row", { hasText: "img src=x" });
        await evilRow.click();
        assertMatch(await page.locator("#details").innerText(), /direct call #\d+/);
        assertEquals(await page.locator("img").count(), 0, "model output is text, never markup");
        assert(await page.title() !== "pwned");
        await page.fill("#search", "img src");
        assertEquals(await page.locator("#hits li").count(), 1);
        const shots = Deno.env.get("RLM_TEST_ARTIFACTS") ?? "tmp/artifacts";
        await Deno.mkdir(shots, { recursive: true });
        await page.screenshot({ path: `${shots}/trace_view.png`, fullPage: true });
        assertEquals(
          requests.filter((u) => !u.startsWith("file://")),
          [],
          "the page made no network request",
        );
      } finally {
        await browser.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  ...skipUnless("a 10 000-call trace opens and expands in Chromium", noChromium),
  async fn() {
    const { renderTraceHtml } = await import("../src/trace/render_html.ts");
    const child = (id: number) => ({
      id,
      kind: "direct" as const,
      depth: 1,
      model: "m",
      query: "q",
      context_chars: 10,
      spawned_by: { op: "map", item: id - 1, of: 10_000 },
      started_ms: id % 100,
      ended_ms: (id % 100) + 50,
      answer: String(id),
      steps: [],
      children: [],
      model_calls: [{
        model: "m",
        prompt_tokens: 10,
        completion_tokens: 1,
        cost_usd: 0.00001,
        latency_ms: 50,
        cached: false,
        retries: 0,
        messages: [],
        reply: String(id),
      }],
    });
    const trace = TraceSchema.parse({
      version: 1,
      rlm_version: "test",
      started_at: new Date().toISOString(),
      duration_ms: 1000,
      status: "answered",
      answer: "x",
      options: { model: "m", child_model: "m", max_depth: 1 },
      totals: {
        llm_calls: 10_000,
        cache_hits: 0,
        prompt_tokens: 100_000,
        completion_tokens: 10_000,
        cost_usd: 0.1,
      },
      root: {
        id: 0,
        kind: "root",
        depth: 0,
        model: "m",
        query: "big",
        context_chars: 1,
        started_ms: 0,
        ended_ms: 1000,
        steps: [],
        model_calls: [],
        children: Array.from({ length: 10_000 }, (_, i) => child(i + 1)),
      },
    });
    const dir = await Deno.makeTempDir();
    const browser = await launchChromium();
    try {
      await Deno.writeTextFile(`${dir}/big.html`, renderTraceHtml(trace));
      const page = await browser.newPage();
      await page.goto(`file://${dir}/big.html`);
      assertEquals(
        await page.locator("#tree .row").count(),
        1,
        "children render only when expanded",
      );
      await page.locator("#tree .row button.toggle").first().click();
      assertEquals(await page.locator("#tree .kids > .node").count(), 10_000);
      assertMatch(await page.locator("#details").innerText(), /10000 model calls/);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("rlm trace view rejects files that are not traces, with exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x.json`, '{"version": 99}');
    const wrong = await runCli(["trace", "view", `${dir}/x.json`]);
    assertEquals(wrong.code, 2);
    assertMatch(wrong.stderr, /not an rlm trace of version 1/);
    const missing = await runCli(["trace", "view", `${dir}/none.json`]);
    assertEquals(missing.code, 2);
    assertMatch(missing.stderr, /no such file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A trace whose root has a chain of `depth` sub-calls, each the only child of the one above. */
function deepTrace(depth: number): Trace {
  const call = (id: number) => ({
    id,
    kind: id === 0 ? "root" as const : "rlm" as const,
    depth: id,
    model: "m",
    query: `q${id}`,
    context_chars: 1,
    started_ms: 0,
    ended_ms: 1,
    answer: `a${id}`,
    steps: [],
    model_calls: [{
      model: "m",
      prompt_tokens: 1,
      completion_tokens: 1,
      cost_usd: 0,
      latency_ms: 1,
      cached: false,
      retries: 0,
      messages: [{ role: "user", content: `m${id}` }],
      reply: `r${id}`,
    }],
    children: [] as unknown[],
  });
  const root = call(0);
  let at = root;
  for (let i = 1; i < depth; i++) {
    const next = call(i);
    at.children.push(next);
    at = next;
  }
  return {
    version: 2,
    rlm_version: "test",
    started_at: new Date().toISOString(),
    duration_ms: 1,
    status: "answered",
    answer: "a0",
    options: { model: "m", child_model: "m", max_depth: depth },
    totals: {
      llm_calls: depth,
      cache_hits: 0,
      prompt_tokens: depth,
      completion_tokens: depth,
      cost_usd: 0,
    },
    root: root as unknown as Trace["root"],
  };
}

Deno.test("rlm trace view reads a trace nested 20 000 calls deep (no recursion on the data)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Written as a run writes it (indenting overflows V8's stack at this depth).
    await writeTrace(`${dir}/deep.json`, deepTrace(20_000));
    const view = await runCli(["trace", "view", `${dir}/deep.json`, "-o", `${dir}/deep.html`]);
    assertEquals(view.code, 0, view.stderr);
    const parsed = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/deep.json`)));
    let depth = 0;
    for (let c = parsed.root; c; c = c.children[0]) depth++;
    assertEquals(depth, 20_000);
    const bad = deepTrace(3) as unknown as {
      root: { children: { children: { query: unknown }[] }[] };
    };
    bad.root.children[0].children[0].query = 7;
    const broken = TraceSchema.safeParse(bad);
    assertEquals(broken.success, false);
    assertEquals(broken.error?.issues[0].path, ["root", "children", 0, "children", 0, "query"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  ...skipUnless(
    "a trace nested 20 000 calls deep, or 150 000 wide, opens in Chromium and rolls up its totals",
    noChromium,
  ),
  async fn() {
    const dir = await Deno.makeTempDir();
    const browser = await launchChromium();
    try {
      await Deno.writeTextFile(`${dir}/deep.html`, renderTraceHtml(deepTrace(20_000)));
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`file://${dir}/deep.html`);
      assertEquals(errors, [], "no script error (a recursive walk overflows the stack)");
      // 20 000 model calls of 2 tokens each, summed over the whole subtree.
      assertMatch(await page.locator("#tree .row").first().innerText(), /40000 tok/);
      await page.locator("#tree .row button.toggle").first().click();
      assertEquals(await page.locator("#tree .kids > .node").count(), 1);

      // As wide as it is deep: the root's timeline of 150 000 sub-calls once spread them all as
      // arguments of Math.min, past the stack's limit.
      const wide = deepTrace(1);
      const only = wide.root!.children;
      for (let id = 1; id <= 150_000; id++) {
        only.push({ ...wide.root!, id, kind: "direct", depth: 1, started_ms: id, children: [] });
      }
      await Deno.writeTextFile(`${dir}/wide.html`, renderTraceHtml(wide));
      await page.goto(`file://${dir}/wide.html`);
      assertEquals(errors, [], "no script error on a wide trace");
      assertMatch(await page.locator("#details").innerText(), /Timeline of sub-calls/);
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("each model call records only its new messages, and they rebuild what was sent", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const turns = 12;
    await using server = startScriptedServer({
      reply: (r) =>
        turnsSoFar(r) < turns
          ? {
            content: `{"mode":"explore","op":"count","args":{"input":"context"},"bind":"n${
              turnsSoFar(r)
            }"}`,
          }
          : { content: '{"mode":"final","answer":"done"}' },
    });
    await Deno.writeTextFile(`${dir}/ctx.log`, "x\n".repeat(100));
    const run = await runCli([
      "run",
      "-q",
      "q",
      "-c",
      `${dir}/ctx.log`,
      "--base-url",
      server.url,
      "--no-cache",
      "--max-explore",
      String(turns),
      "--trace",
      `${dir}/t.json`,
    ]);
    assertEquals(run.code, 0, run.stderr);
    const trace = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/t.json`)));
    const calls = trace.root!.model_calls;
    assertEquals(calls.length, server.requests.length);
    // The trace rebuilds, call by call, exactly the conversation the server received.
    calls.forEach((_, i) => assertEquals(fullMessages(calls, i), server.requests[i].messages));
    for (let i = 1; i < calls.length; i++) {
      assertEquals(calls[i].extends, i - 1);
      assertEquals(calls[i].messages.length, 1, "only the new user message");
    }
    // Each message is in the trace once: its size grows with the turns, not their square.
    const recorded = calls.reduce((n, c) => n + c.messages.length, 0);
    const sent = server.requests.reduce((n, r) => n + r.messages.length, 0);
    assert(recorded < sent / 3, `${recorded} messages recorded for ${sent} sent`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a trace path that cannot be written (a folder) is a warning: the answer is printed, exit 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using server = startScriptedServer({
      reply: () => ({ content: '{"mode":"final","answer":"paid for"}' }),
    });
    await Deno.writeTextFile(`${dir}/ctx.log`, "x\n");
    await Deno.mkdir(`${dir}/traces`);
    const run = await runCli([
      "run",
      "-q",
      "q",
      "-c",
      `${dir}/ctx.log`,
      "--base-url",
      server.url,
      "--no-cache",
      "--trace",
      `${dir}/traces`,
    ]);
    assertEquals([run.code, run.stdout], [0, "paid for\n"], run.stderr);
    assertMatch(run.stderr, /warning: .*trace.*it is a folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
