/**
 * The stubborn-model suite: a scripted OpenAI-compatible server (real HTTP on 127.0.0.1, the
 * real `openai` client inside the real CLI) that never finalises, always explores, always
 * commits, replies with garbage, hangs, drips bytes, sends HTML with status 200, invalid JSON,
 * a number for content, 401/403/404, 500s or a redirect. Every run ends, after a bounded number
 * of requests (asserted against the bound docs/how-to/budgets.md states), with the documented
 * exit code and one line on stderr. No test asserts a wall time; a run that does not end is
 * killed after a safety limit and fails its test.
 */
import { runCli as runRlm } from "./_cli.ts";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import {
  isRootRequest,
  lastUserMessage,
  type ReceivedRequest,
  type ScriptedReply,
  startScriptedServer,
} from "./fixtures/scripted_server.ts";
import { tempDir } from "./_temp_dir.ts";

/** How many model requests one call may make: explores + commits + 3 spare turns + 1 final. */
const callBound = (explore: number, commits: number) => explore + commits + 3 + 1;

/** Safety limit for one CLI run; reaching it fails the test (it is not a timing assertion). */
const SAFETY_MS = 120_000;

interface Run {
  code: number | "killed";
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const run = await runRlm(args, {
    env: { RLM_RETRY_BASE_MS: "1", ...env },
    killAfterMs: SAFETY_MS,
  });
  return { ...run, code: run.killed ? "killed" : run.code };
}

/** The run's stderr is exactly one line, `rlm: ...`, with no stack trace. */
function assertOneLine(run: Run, pattern: RegExp) {
  const lines = run.stderr.trim().split("\n");
  assertEquals(lines.length, 1, run.stderr);
  assertMatch(lines[0], /^rlm: /);
  assertMatch(lines[0], pattern);
  assert(!/\bat .*:\d+:\d+/.test(run.stderr), "no stack frames");
}

async function withContext(fn: (path: string) => Promise<void>) {
  await using dir = await tempDir("rlm-stubborn-");
  const path = `${dir.path}/ctx.txt`;
  await Deno.writeTextFile(path, "alpha\nbeta\ngamma\n");
  await fn(path);
}

const EXPLORE = '{"mode":"explore","operation":{"op":"count","args":{"input":"context"}}}';
const COMMIT =
  '{"mode":"commit","operations":[{"op":"count","args":{"input":"context"},"bind":"n"}]}';

function run(
  url: string,
  path: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Run> {
  // --timeout is a safety net for the old behaviour (asked forever); these runs end long before.
  return runCli(
    ["run", "-q", "q", "-c", path, "--base-url", url, "--no-cache", "--timeout", "60", ...extra],
    env,
  );
}

const STEPS = ["--max-explore", "2", "--max-commits", "1"];

Deno.test("a model that explores forever, past --max-explore while commits remain, is asked a bounded number of times", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({ reply: () => ({ content: EXPLORE }) });
    const result = await run(server.url, path, STEPS);
    assertEquals(result.code, 3, result.stderr);
    assertOneLine(result, /The root model gave no final answer/);
    assertEquals(result.stdout, "");
    assert(server.requests.length <= callBound(2, 1), `${server.requests.length} requests`);
  });
});

Deno.test("a model that commits forever is asked a bounded number of times", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({ reply: () => ({ content: COMMIT }) });
    const result = await run(server.url, path, STEPS);
    assertEquals(result.code, 3, result.stderr);
    assertOneLine(result, /gave no final answer/);
    assert(server.requests.length <= callBound(2, 1), `${server.requests.length} requests`);
  });
});

Deno.test("a model that alternates explore and commit forever at the defaults ends within the default bound", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({
      reply: (_r, n) => ({ content: n % 2 ? COMMIT : EXPLORE }),
    });
    const result = await run(server.url, path);
    assertEquals(result.code, 3, result.stderr);
    assert(server.requests.length <= callBound(20, 5), `${server.requests.length} requests`);
  });
});

Deno.test("garbage replies (prose, nested braces, wrong shapes) end the run after a bounded number of requests", async () => {
  const garbage = [
    "I am thinking about it.",
    "{".repeat(50_000) + "x" + "}".repeat(50_000),
    '{"mode": "dance"}',
    '{"mode": "final", "answer_var": "nope"}',
    '{"mode":"explore"} {"mode":"final","answer":1}',
    "[1, 2, 3]",
  ];
  await withContext(async (path) => {
    await using server = startScriptedServer({
      reply: (_r, n) => ({ content: garbage[n % garbage.length] }),
    });
    const result = await run(server.url, path);
    assertEquals(result.code, 3, result.stderr);
    assertOneLine(result, /gave no final answer/);
    assert(server.requests.length <= callBound(20, 5), `${server.requests.length} requests`);
  });
});

Deno.test("a sub-call model that never finalises is an error its parent sees, and the tree stays bounded", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({
      reply: (r) => {
        const question = r.messages[1]?.content ?? "";
        if (question.startsWith("Question: sub")) return { content: EXPLORE };
        if (lastUserMessage(r).includes("the sub-call's model gave no final answer")) {
          return { content: '{"mode":"final","answer":"parent saw it"}' };
        }
        return {
          content:
            '{"mode":"commit","operations":[{"op":"rlm_call","args":{"query":"sub","context":"context"},"bind":"a"}]}',
        };
      },
    });
    const result = await run(server.url, path, [...STEPS, "--max-depth", "2"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, "parent saw it\n");
    const children = server.requests.filter((r) =>
      r.messages[1]?.content.startsWith("Question: sub")
    );
    assert(children.length <= callBound(2, 1), `${children.length} child requests`);
  });
});

Deno.test("a provider that never answers: --timeout ends the run, the best-answer request has a deadline too", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({ reply: () => ({ hang: true }) });
    const result = await runCli([
      "run",
      "-q",
      "q",
      "-c",
      path,
      "--base-url",
      server.url,
      "--no-cache",
      "--timeout",
      "1",
    ]);
    assertEquals(result.code, 3, result.stderr);
    assertOneLine(result, /Time budget of 1 s ran out/);
    assertEquals(result.stdout, "");
    assertEquals(server.requests.length, 2, "the stuck request, then one for a best answer");
  });
});

Deno.test("a provider that drips its reply one byte at a time is cut off by --timeout", async () => {
  await withContext(async (path) => {
    // 3 000 bytes of padding: at one byte per 200 ms the reply would take ten minutes.
    const body = JSON.stringify({
      choices: [{ message: { role: "assistant", content: '{"mode":"final","answer":"late"}' } }],
    }).replace("{", "{" + " ".repeat(3000));
    await using server = startScriptedServer({ reply: () => ({ drip: body, everyMs: 200 }) });
    const result = await runCli([
      "run",
      "-q",
      "q",
      "-c",
      path,
      "--base-url",
      server.url,
      "--no-cache",
      "--timeout",
      "1",
    ]);
    assertEquals(result.code, 3, result.stderr);
    assertOneLine(result, /Time budget of 1 s ran out/);
    assertEquals(server.requests.length, 2);
  });
});

/** Replies that are not chat completions, each retried twice and then a one-line exit 1. */
const MALFORMED: [string, ScriptedReply, RegExp][] = [
  ["HTML with status 200", {
    raw: "<html><body>Gateway login</body></html>",
    contentType: "text/html",
  }, /malformed reply: it is not JSON \(it starts "<html><body>Gateway login/],
  ["invalid JSON", { malformed: true }, /malformed reply/],
  ["content that is a number", {
    json: { choices: [{ message: { role: "assistant", content: 42 } }] },
  }, /malformed reply: choices\.0\.message\.content/],
  ["choices: [null]", { json: { choices: [null] } }, /malformed reply: choices\.0/],
  ["no choices", { json: { id: "x", object: "chat.completion" } }, /malformed reply: choices/],
  ["empty choices", { json: { choices: [] } }, /malformed reply: choices/],
];

for (const [name, reply, message] of MALFORMED) {
  Deno.test(`a provider reply with ${name} is a one-line provider error, exit 1, after 3 tries`, async () => {
    await withContext(async (path) => {
      await using server = startScriptedServer({ reply: () => reply });
      const result = await run(server.url, path);
      assertEquals(result.code, 1, result.stderr);
      assertOneLine(result, message);
      assert(!result.stderr.includes("is not a function"), result.stderr);
      assertEquals(server.requests.length, 3);
    });
  });
}

for (const status of [401, 403, 404, 400]) {
  Deno.test(`status ${status} fails at once: one request, exit 1, one line`, async () => {
    await withContext(async (path) => {
      await using server = startScriptedServer({ reply: () => ({ status }) });
      const result = await run(server.url, path);
      assertEquals(result.code, 1, result.stderr);
      assertOneLine(result, new RegExp(`answered ${status}`));
      assertEquals(server.requests.length, 1);
    });
  });
}

Deno.test("status 500 and 429 are retried 6 times, then exit 1", async () => {
  await withContext(async (path) => {
    for (const reply of [{ status: 500 }, { status: 429, retryAfter: "0" }]) {
      await using server = startScriptedServer({ reply: () => reply });
      const result = await run(server.url, path);
      assertEquals(result.code, 1, result.stderr);
      assertOneLine(result, /gave up after 7 tries/);
      assertEquals(server.requests.length, 7);
    }
  });
});

Deno.test("a redirect is not followed: the key never reaches the other origin", async () => {
  await withContext(async (path) => {
    await using other = startScriptedServer({
      reply: () => ({ content: '{"mode":"final","answer":"stolen"}' }),
    });
    let status = 307;
    await using server = startScriptedServer({
      reply: () => ({ redirect: `${other.url}/chat/completions`, status }),
    });
    for (status of [301, 302, 307, 308]) {
      const result = await runCli([
        "run",
        "-q",
        "q",
        "-c",
        path,
        "--base-url",
        server.url,
        "--no-cache",
      ], { OPENAI_API_KEY: "sk-secret-redirect" });
      assertEquals(result.code, 1, result.stderr);
      assertOneLine(result, new RegExp(`answered ${status}.*does not follow redirects`));
    }
    assertEquals(other.requests.length, 0, "nothing reached the redirect's target");
    assert(server.requests.every((r) => r.authorization === "Bearer sk-secret-redirect"));
  });
});

/** A root that commits a map over two chunks, then answers from it. */
function mapRoot(r: ReceivedRequest): ScriptedReply {
  if (r.messages.some((m) => m.role === "assistant")) {
    return { content: '{"mode":"final","answer":"model went on"}' };
  }
  return {
    content: JSON.stringify({
      mode: "commit",
      operations: [
        { op: "chunk", args: { input: "context", n: 2 }, bind: "c" },
        { op: "map", args: { prompt: "Count.", input: "c" }, bind: "m" },
      ],
    }),
  };
}

Deno.test("a provider failure inside a sub-call ends the run with exit 1; the model is not told to fix it", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({
      reply: (r) => (isRootRequest(r) ? mapRoot(r) : { status: 401 }),
    });
    const result = await run(server.url, path);
    assertEquals(result.code, 1, result.stderr);
    assertOneLine(result, /answered 401/);
    assertEquals(result.stdout, "");
    assertEquals(server.requests.filter(isRootRequest).length, 1, "the root was not asked again");
  });
});

Deno.test("a context file that changes between two steps ends the run with exit 1", async () => {
  await using dir = await tempDir("rlm-stubborn-");
  const path = `${dir.path}/ctx.txt`;
  await Deno.writeTextFile(path, "alpha\nbeta\ngamma\n".repeat(1000));
  await using server = startScriptedServer({
    reply: async (r) => {
      const turns = r.messages.filter((m) => m.role === "assistant").length;
      if (turns === 0) {
        return {
          content:
            '{"mode":"explore","operation":{"op":"grep","args":{"input":"context","pattern":"beta"}}}',
        };
      }
      if (turns === 1) {
        await Deno.writeTextFile(path, "short\n");
        return {
          content:
            '{"mode":"explore","operation":{"op":"grep","args":{"input":"context","pattern":"gamma"}}}',
        };
      }
      return { content: '{"mode":"final","answer":"model went on"}' };
    },
  });
  const result = await run(server.url, path);
  assertEquals(result.code, 1, result.stderr);
  assertOneLine(result, /ctx\.txt/);
  assertEquals(result.stdout, "");
  assertEquals(server.requests.length, 2);
});
