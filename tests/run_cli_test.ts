import { TraceSchema } from "../src/protocol/trace.ts";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { rlmArgv } from "../perf/_rlm.ts";
import { runCli } from "./_cli.ts";
import {
  isRootRequest,
  lastUserMessage,
  type ReceivedRequest,
  type ScriptedReply,
  startScriptedServer,
  turnsSoFar,
} from "./fixtures/scripted_server.ts";

const NEEDLE = "SECRET-NEEDLE-7f3a";

/** A log with a known number of "timed out" lines, and a marker line the root must never see. */
function makeLog(lines: number): { text: string; timeouts: number } {
  const out: string[] = [];
  let timeouts = 0;
  for (let i = 0; i < lines; i++) {
    if (i % 7 === 3) {
      out.push(
        `2026-11-20T10:00:${String(i % 60).padStart(2, "0")}Z ERROR [svc${
          i % 5
        }] request timed out after 30s`,
      );
      timeouts++;
    } else if (i % 11 === 5) {
      out.push(`2026-11-20T10:00:00Z ERROR [svc${i % 5}] upstream returned 502`);
    } else {out.push(
        `2026-11-20T10:00:00Z INFO  [svc${i % 5}] handled request id=${i} in ${i % 300} ms`,
      );}
  }
  out.push(`2026-11-20T23:59:59Z INFO  [audit] ${NEEDLE}`);
  return { text: out.join("\n") + "\n", timeouts };
}

const MAP_PROMPT = "Count the lines that contain 'timed out'. Reply with an integer only.";

/** The root of the tutorial: explore, commit chunk -> map -> combine, final. */
function rootPolicy(r: ReceivedRequest): ScriptedReply {
  const turn = turnsSoFar(r);
  if (lastUserMessage(r).includes("best final answer")) {
    return { content: '{"mode":"final","answer":"partial"}' };
  }
  if (turn === 0) {
    return {
      content:
        '{"mode":"explore","operation":{"op":"grep","args":{"input":"context","pattern":"ERROR"},"bind":"errors"}}',
    };
  }
  if (turn === 1) {
    return {
      content: "Now I fan out.\n```json\n" + JSON.stringify({
        mode: "commit",
        operations: [
          { op: "chunk", args: { input: "context", n: 8 }, bind: "chunks" },
          { op: "map", args: { prompt: MAP_PROMPT, input: "chunks" }, bind: "counts" },
          { op: "combine", args: { inputs: ["counts"], strategy: "sum" }, bind: "total" },
        ],
        output: "total",
      }) + "\n```",
    };
  }
  return { content: '{"mode": "final", "answer_var": "total"}' };
}

/** A child: count the lines with "timed out" in the text it was given. */
function childAnswer(r: ReceivedRequest): string {
  const user = r.messages.find((m) => m.role === "user")?.content ?? "";
  const text = user.slice(user.indexOf("<text>"), user.lastIndexOf("</text>"));
  return String(text.split("\n").filter((l) => l.includes("timed out")).length);
}

async function withLog(
  lines: number,
  fn: (dir: string, log: string, timeouts: number) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "rlm-run-test-" });
  try {
    const { text, timeouts } = makeLog(lines);
    await Deno.writeTextFile(`${dir}/big.log`, text);
    await fn(dir, `${dir}/big.log`, timeouts);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rlm run walks explore, commit (chunk, map, combine), final; a rerun is served from cache", async () => {
  await withLog(40_000, async (dir, log, timeouts) => {
    await using server = startScriptedServer({
      reply: (r) => (isRootRequest(r) ? rootPolicy(r) : { content: childAnswer(r) }),
    });
    const args = [
      "run",
      "-q",
      "How many requests timed out?",
      "-c",
      log,
      "--base-url",
      server.url,
      "--cache-dir",
      `${dir}/cache`,
    ];
    const first = await runCli([...args, "--trace", `${dir}/trace.json`]);
    assertEquals(first.code, 0, first.stderr);
    assertEquals(first.stdout, `${timeouts}\n`);
    const roots = server.requests.filter(isRootRequest);
    assertEquals(roots.length, 3);
    assertEquals(server.requests.length - roots.length, 8, "one direct sub-call per chunk");
    for (const r of roots) {
      assert(r.bytes < 64 * 1024, `root request of ${r.bytes} bytes`);
      assert(
        !JSON.stringify(r.messages).includes(NEEDLE),
        "no context beyond previews reaches the root",
      );
    }
    const trace = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/trace.json`)));
    assertEquals(trace.status, "answered");
    assertEquals(trace.root?.children.length, 8);
    assertEquals(trace.root?.children.map((c) => c.spawned_by?.item), [0, 1, 2, 3, 4, 5, 6, 7]);
    assertEquals(
      trace.root?.children.map((c) => Number(c.answer)).reduce((a, b) => a + b, 0),
      timeouts,
    );

    const before = server.requests.length;
    const again = await runCli([...args, "--json"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(server.requests.length, before, "a rerun makes no model request");
    const json = JSON.parse(again.stdout);
    assertEquals(json.answer, String(timeouts));
    assertEquals(json.llm_calls, 0);
    assertEquals(json.cache_hits, 11);
  });
});

Deno.test("rlm run survives 30% injected 429 and 500 replies and a malformed one", async () => {
  await withLog(5_000, async (_dir, log, timeouts) => {
    let faults = 0;
    await using server = startScriptedServer({
      reply: (r, n) => {
        if (n % 10 === 0 || n % 10 === 4) return (faults++, { status: 429, retryAfter: "0" });
        if (n % 10 === 7) return (faults++, { status: 500 });
        if (n === 2) return (faults++, { malformed: true });
        return isRootRequest(r) ? rootPolicy(r) : { content: childAnswer(r) };
      },
    });
    const result = await runCli(
      [
        "run",
        "-q",
        "How many requests timed out?",
        "-c",
        log,
        "--base-url",
        server.url,
        "--no-cache",
        "-v",
      ],
      { env: { RLM_RETRY_BASE_MS: "1" } },
    );
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, `${timeouts}\n`);
    assert(faults >= 3, `${faults} faults injected`);
    assertMatch(result.stderr, /retry 1/);
    assertMatch(result.stderr, /done: \d+ model calls/);
    assertMatch(result.stderr, /map \[#{16}\] 8\/8/, "a progress bar reaches the end of the map");
    assertMatch(
      result.stderr,
      /root map: starting sub-calls/,
      "an op with sub-calls says it starts",
    );
    assert(!result.stderr.includes("\x1b["), "no escape codes when stderr is not a terminal");
  });
});

Deno.test("a run killed with SIGKILL during map resumes without redoing completed sub-calls", async () => {
  await withLog(20_000, async (dir, log, timeouts) => {
    let slow = true;
    const childContexts: string[] = [];
    await using server = startScriptedServer({
      reply: (r) => {
        if (isRootRequest(r)) return rootPolicy(r);
        const context = r.messages[1].content;
        childContexts.push(context);
        // The first four sub-calls answer at once, the others hang until the kill.
        return {
          content: childAnswer(r),
          delayMs: slow ? (childContexts.length <= 4 ? 10 : 60_000) : 0,
        };
      },
    });
    const args = [
      "run",
      "-q",
      "How many requests timed out?",
      "-c",
      log,
      "--base-url",
      server.url,
      "--cache-dir",
      `${dir}/cache`,
      "--max-parallel",
      "8",
    ];
    const [cmd, ...rest] = await rlmArgv(args);
    const child = new Deno.Command(cmd, {
      args: rest,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Wait until all 8 sub-calls are in flight and the cache holds the 2 root replies and the 4
    // fast sub-call replies (each is stored as soon as it arrives).
    const stored = () => {
      let n = 0;
      try {
        for (const shard of Deno.readDirSync(`${dir}/cache/v1/llm`)) {
          for (const f of Deno.readDirSync(`${dir}/cache/v1/llm/${shard.name}`)) {
            if (!f.name.startsWith(".tmp")) n++;
          }
        }
      } catch { /* not created yet */ }
      return n;
    };
    for (let i = 0; i < 600 && (childContexts.length < 8 || stored() < 6); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assertEquals(stored(), 6, "root replies and the fast sub-calls are cached before the kill");
    child.kill("SIGKILL");
    const killed = await child.output();
    assertEquals(killed.signal, "SIGKILL");
    const fast = childContexts.slice(0, 4);

    slow = false;
    const childrenBefore = childContexts.length;
    const resumed = await runCli(args);
    assertEquals(resumed.code, 0, resumed.stderr);
    assertEquals(resumed.stdout, `${timeouts}\n`);
    const redone = childContexts.slice(childrenBefore);
    assertEquals(redone.length, 4, "only the four unfinished sub-calls are asked again");
    for (const c of redone) assert(!fast.includes(c), "a completed sub-call was asked again");
  });
});

Deno.test("budgets stop a runaway run with exit 3 and the best partial answer", async () => {
  await withLog(1_000, async (dir, log) => {
    await using server = startScriptedServer({
      reply: (r) => {
        if (lastUserMessage(r).includes("best final answer")) {
          return { content: '{"mode":"final","answer":"partial-7"}' };
        }
        return {
          content: '{"mode":"explore","operation":{"op":"count","args":{"input":"context"}}}',
        };
      },
    });
    const base = [
      "run",
      "-q",
      "q",
      "-c",
      log,
      "--base-url",
      server.url,
      "--no-cache",
      "--max-explore",
      "100",
    ];
    const calls = await runCli([...base, "--max-llm-calls", "3", "--trace", `${dir}/t.json`]);
    assertEquals(calls.code, 3, calls.stderr);
    assertEquals(calls.stdout, "partial-7\n");
    assertMatch(calls.stderr, /budget of 3 calls ran out/);
    const trace = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/t.json`)));
    assertEquals(trace.status, "budget_exceeded");
    assertEquals(trace.answer, "partial-7");

    await using slow = startScriptedServer({
      reply: (r) =>
        lastUserMessage(r).includes("best final answer")
          ? { content: '{"mode":"final","answer":"late"}' }
          : {
            content: '{"mode":"explore","operation":{"op":"count","args":{"input":"context"}}}',
            delayMs: 300,
          },
    });
    const timed = await runCli([
      "run",
      "-q",
      "q",
      "-c",
      log,
      "--base-url",
      slow.url,
      "--no-cache",
      "--max-explore",
      "100",
      "--timeout",
      "1",
    ]);
    assertEquals(timed.code, 3, timed.stderr);
    assertEquals(timed.stdout, "late\n");
  });
});

Deno.test("rlm run: missing key, unreachable endpoint and bad flags are one-line errors", async () => {
  await withLog(10, async (_dir, log) => {
    const noKey = await runCli(["run", "-q", "q", "-c", log], {
      env: { OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    });
    assertEquals(noKey.code, 2, noKey.stderr);
    assertMatch(noKey.stderr.trim(), /^rlm: No API key for model "gpt-5-mini": set OPENAI_API_KEY/);
    const down = await runCli(
      ["run", "-q", "q", "-c", log, "--base-url", "http://127.0.0.1:9/v1"],
      {
        env: { RLM_RETRY_BASE_MS: "1" },
      },
    );
    assertEquals(down.code, 1, down.stderr);
    assertMatch(down.stderr, /Cannot reach model endpoint http:\/\/127\.0\.0\.1:9\/v1/);
    assertEquals(down.stderr.trim().split("\n").length, 1);
    const bad = await runCli(["run", "-q", "q", "-c", log, "--max-depth", "-1"]);
    assertEquals(bad.code, 2);
    assertMatch(bad.stderr, /Invalid --max-depth "-1"/);
    const noQuery = await runCli(["run", "-c", log]);
    assertEquals(noQuery.code, 2);
    assertMatch(noQuery.stderr, /required option '-q, --query/);
  });
});

Deno.test("every bad flag value of rlm run and rlm exec is a one-line usage error, exit 2", async () => {
  await withLog(10, async (dir, log) => {
    await Deno.writeTextFile(`${dir}/file`, "x");
    await Deno.writeTextFile(`${dir}/plan.json`, '{"operations":[{"op":"count","args":{}}]}');
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [["--base-url", "not a url"], /Invalid --base-url "not a url"/],
      [["--base-url", ""], /Invalid --base-url ""/],
      [["--base-url", "ftp://127.0.0.1/v1"], /Invalid --base-url/],
      [["--cache-dir", `${dir}/file`], /Invalid --cache-dir .*not a directory/],
      [["--cache-dir", `${dir}/file/sub`], /Invalid --cache-dir .*not a directory/],
      [["--cache-dir", ""], /Invalid --cache-dir ""/],
      [[], /Invalid RLM_CACHE_DIR/, { RLM_CACHE_DIR: `${dir}/file` }],
      [["--timeout", "0"], /Invalid --timeout "0"/],
      [["--timeout", "-1"], /Invalid --timeout "-1"/],
      [["--timeout", "1e400"], /Invalid --timeout/],
      [["--timeout", "Infinity"], /Invalid --timeout/],
      [["--timeout", "40000000"], /Invalid --timeout .*at most 31536000/],
      [["--max-cost", "-0.5"], /Invalid --max-cost/],
      [["--max-cost", "0x10"], /Invalid --max-cost/],
      [["--max-llm-calls", "0"], /Invalid --max-llm-calls "0"/],
      [["--max-llm-calls", "2.5"], /Invalid --max-llm-calls/],
      [["--max-parallel", "0"], /Invalid --max-parallel "0"/],
      [["--max-parallel", "100000"], /Invalid --max-parallel/],
      [[], /Invalid RLM_MAX_PARALLEL "many"/, { RLM_MAX_PARALLEL: "many" }],
      [["--max-child-chars", "1e3x"], /Invalid --max-child-chars/],
      [["--max-depth", "11"], /Invalid --max-depth "11": give a whole number from [01] to 10/],
      [[], /Invalid RLM_MAX_DEPTH "deep"/, { RLM_MAX_DEPTH: "deep" }],
      [["--executor", "cloud"], /Unknown executor "cloud"/],
      [["--eval-timeout", "3000000"], /Invalid --eval-timeout "3000000"/],
      [["--eval-timeout", "-1"], /Invalid --eval-timeout/],
      [["--eval-memory", "1.5"], /Invalid --eval-memory "1.5"/],
      [["--eval-max-output", "0"], /Invalid --eval-max-output "0"/],
      [[], /Invalid RLM_EVAL_TIMEOUT "soon"/, { RLM_EVAL_TIMEOUT: "soon" }],
      [[], /Unknown executor "cloud" \(from RLM_EXECUTOR\)/, { RLM_EXECUTOR: "cloud" }],
    ];
    // exec needs no model for a plan of pure ops, so it never reads OPENAI_BASE_URL.
    const runOnly: typeof cases = [
      [[], /Invalid OPENAI_BASE_URL "nope"/, { OPENAI_BASE_URL: "nope" }],
      [["--max-explore", "1.5"], /Invalid --max-explore "1.5"/],
      [["--max-explore", "0x10"], /Invalid --max-explore "0x10"/],
      [["--max-commits", "1001"], /Invalid --max-commits "1001"/],
      [[], /Invalid RLM_MAX_EXPLORE/, { RLM_MAX_EXPLORE: "-3" }],
      [["-m", ""], /Invalid --model ""/],
      [["--child-model", " "], /Invalid --child-model/],
    ];
    const env = { OPENAI_API_KEY: "sk-test" };
    for (const [flags, pattern, extra] of [...cases, ...runOnly]) {
      const r = await runCli(["run", "-q", "q", "-c", log, ...flags], {
        env: { ...env, ...extra },
      });
      assertEquals(r.code, 2, `${flags.join(" ")}: ${r.stderr}`);
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      assertMatch(r.stderr, pattern);
    }
    for (const [flags, pattern, extra] of cases) {
      const r = await runCli(["exec", `${dir}/plan.json`, "-c", log, ...flags], {
        env: { ...env, ...extra },
      });
      assertEquals(r.code, 2, `exec ${flags.join(" ")}: ${r.stderr}`);
      assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
      assertMatch(r.stderr, pattern);
    }
  });
});

Deno.test("a --timeout past setTimeout's 24.8-day limit is a real deadline, not an instant one", async () => {
  await withLog(10, async (_dir, log) => {
    await using server = startScriptedServer({
      reply: (r) =>
        turnsSoFar(r) === 0
          ? { content: '{"mode":"explore","operation":{"op":"count","args":{"input":"context"}}}' }
          : { content: '{"mode":"final","answer":"in time"}', delayMs: 50 },
    });
    const r = await runCli([
      "run",
      "-q",
      "q",
      "-c",
      log,
      "--base-url",
      server.url,
      "--no-cache",
      "--timeout",
      "3000000",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, "in time\n");
  });
});

Deno.test("SIGTERM says a trace was written only when one was", async () => {
  await withLog(10, async (dir, log) => {
    await using server = startScriptedServer({ reply: () => ({ hang: true }) });
    for (const trace of [[], ["--trace", `${dir}/t.json`]]) {
      const before = server.requests.length;
      const args = ["run", "-q", "q", "-c", log, "--base-url", server.url, "--no-cache", ...trace];
      const [cmd, ...rest] = await rlmArgv(args);
      const child = new Deno.Command(cmd, {
        args: rest,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).spawn();
      for (let i = 0; i < 600 && server.requests.length === before; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGTERM");
      const out = await child.output();
      const stderr = new TextDecoder().decode(out.stderr).trim();
      assertEquals(out.code, 1, stderr);
      if (trace.length === 0) assertEquals(stderr, "rlm: Interrupted");
      else {
        assertEquals(stderr, `rlm: Interrupted; the trace so far was written to ${dir}/t.json`);
        const written = TraceSchema.parse(JSON.parse(await Deno.readTextFile(`${dir}/t.json`)));
        assertEquals(written.status, "interrupted");
      }
    }
  });
});
