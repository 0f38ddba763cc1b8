import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { startScriptedServer, turnsSoFar } from "./fixtures/scripted_server.ts";

const EXAMPLES = new URL("../docs/examples/", import.meta.url).pathname;

Deno.test("rlm cache stats, gc and clear on a real cache", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlm-cache-cli-" });
  try {
    const empty = await runCli(["cache", "stats", "--cache-dir", dir, "--json"]);
    assertEquals(empty.code, 0, empty.stderr);
    assertEquals(JSON.parse(empty.stdout).entries, 0);

    const exec = await runCli([
      "exec",
      `${EXAMPLES}errors.plan.json`,
      "-c",
      `${EXAMPLES}app.log`,
      "--cache-dir",
      dir,
    ]);
    assertEquals(exec.code, 0, exec.stderr);
    const stats = JSON.parse(
      (await runCli(["cache", "stats", "--cache-dir", dir, "--json"])).stdout,
    );
    assertEquals(stats.namespaces.op.entries, 2);

    const human = await runCli(["cache", "stats"], { env: { RLM_CACHE_DIR: dir } });
    assertMatch(human.stdout, /op results\s+2 entries/);

    const gc = await runCli(["cache", "gc", "--cache-dir", dir, "--max-size", "0"]);
    assertEquals(gc.code, 0, gc.stderr);
    assertMatch(gc.stdout, /removed 2 entries/);

    await runCli([
      "exec",
      `${EXAMPLES}errors.plan.json`,
      "-c",
      `${EXAMPLES}app.log`,
      "--cache-dir",
      dir,
    ]);
    const clear = await runCli(["cache", "clear", "--cache-dir", dir]);
    assertMatch(clear.stdout, /removed 2 entries/);
    assertEquals(
      JSON.parse((await runCli(["cache", "stats", "--cache-dir", dir, "--json"])).stdout).entries,
      0,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rlm cache gc rejects bad sizes and days with exit 2", async () => {
  for (const args of [["--max-size", "lots"], ["--older-than", "-3"], ["--older-than", "soon"]]) {
    const r = await runCli(["cache", "gc", "--cache-dir", "/tmp/rlm-never-created", ...args]);
    assertEquals(r.code, 2, r.stderr);
    assertEquals(r.stderr.trim().split("\n").length, 1);
    assert(r.stderr.startsWith("rlm: Invalid --"), r.stderr);
  }
});

const COUNT_PLAN = { operations: [{ op: "count", args: { input: "context" }, bind: "n" }] };

async function tempDir(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "rlm-cache-cli-" });
  return Object.assign(new String(dir), {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as unknown as string & AsyncDisposable;
}

Deno.test("a file moved over -c FILE between two steps ends the run (exit 1) and caches nothing wrong", async () => {
  await using dir = await tempDir();
  const a = `${dir}/a.log`;
  await Deno.writeTextFile(a, "one\ntwo\n");
  await Deno.writeTextFile(`${dir}/b.log`, "1\n2\n3\n4\n5\n6\n7\n");
  const cache = `${dir}/cache`;
  // Step 1 counts a.log (hashing it); before step 2, b.log is moved over it; step 2 greps.
  await using server = startScriptedServer({
    reply: async (r) => {
      const turn = turnsSoFar(r);
      if (turn === 0) {
        return { content: '{"mode":"explore","op":"count","args":{"input":"context"},"bind":"n"}' };
      }
      if (turn === 1) {
        await Deno.rename(`${dir}/b.log`, a);
        return { content: '{"mode":"explore","op":"lines","args":{"input":"context"},"bind":"l"}' };
      }
      return { content: '{"mode":"final","answer_var":"l"}' };
    },
  });
  const run = await runCli(
    [
      "run",
      "-q",
      "q",
      "-c",
      a,
      "--base-url",
      server.url,
      "--cache-dir",
      cache,
      "--max-explore",
      "3",
    ],
  );
  assertEquals(run.code, 1, run.stderr);
  assertMatch(run.stderr, new RegExp(`"${a}" was replaced by another file`));
  assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  // The original bytes again: every cached result is the original's.
  await Deno.writeTextFile(a, "one\ntwo\n");
  await Deno.writeTextFile(
    `${dir}/plan.json`,
    JSON.stringify({
      operations: [{ op: "lines", args: { input: "context" }, bind: "l" }],
    }),
  );
  const again = await runCli(["exec", `${dir}/plan.json`, "-c", a, "--cache-dir", cache]);
  assertEquals([again.code, again.stdout], [0, "one\ntwo\n"], again.stderr);
});

Deno.test("entries that are folders or FIFOs, and an unwritable cache, never fail or hang exec", async () => {
  await using dir = await tempDir();
  const cache = `${dir}/cache`;
  await Deno.writeTextFile(`${dir}/ctx.txt`, "a\nb\n");
  await Deno.writeTextFile(`${dir}/plan.json`, JSON.stringify(COUNT_PLAN));
  const exec = () =>
    runCli(["exec", `${dir}/plan.json`, "-c", `${dir}/ctx.txt`, "--cache-dir", cache, "--json"]);
  const first = await exec();
  assertEquals(first.code, 0, first.stderr);
  const [entry] = await Array.fromAsync(walkFiles(`${cache}/v1/op`));
  // A folder where the entry was: a miss, recomputed; the write over it fails with one warning.
  await Deno.remove(entry);
  await Deno.mkdir(entry);
  const overDir = await exec();
  assertEquals([overDir.code, JSON.parse(overDir.stdout).value], [0, "2"], overDir.stderr);
  assertEquals(overDir.stderr.match(/warning: cannot write to the cache/g)?.length, 1);
  // A FIFO: reading it would block forever.
  await Deno.remove(entry);
  assert((await new Deno.Command("mkfifo", { args: [entry] }).output()).success);
  const overFifo = await exec();
  assertEquals([overFifo.code, JSON.parse(overFifo.stdout).value], [0, "2"], overFifo.stderr);
  // The write replaced the FIFO with the entry; gc removes a FIFO left anywhere else.
  assert((await Deno.lstat(entry)).isFile, "the entry is a file again");
  assert((await new Deno.Command("mkfifo", { args: [`${entry}0`] }).output()).success);
  const gc = await runCli(["cache", "gc", "--cache-dir", cache]);
  assertEquals(gc.code, 0, gc.stderr);
  assertMatch(gc.stdout, /1 not entries/);
});

Deno.test("-c /dev/stdin and /dev/fd/0 read standard input; -c /dev/zero stops at --max-context-bytes", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir}/plan.json`, JSON.stringify(COUNT_PLAN));
  for (const path of ["/dev/stdin", "/dev/fd/0", "-"]) {
    const r = await runCli(["exec", `${dir}/plan.json`, "-c", path, "--no-cache"], {
      stdin: "x\ny\nz\n",
    });
    assertEquals([r.code, r.stdout], [0, "3\n"], `${path}: ${r.stderr}`);
  }
  const zero = await runCli(
    ["exec", `${dir}/plan.json`, "-c", "/dev/zero", "--no-cache", "--max-context-bytes", "65536"],
  );
  assertEquals(zero.code, 2, zero.stderr);
  assertEquals(
    zero.stderr.trim(),
    'rlm: Context "/dev/zero" is larger than --max-context-bytes (65536 bytes): raise the limit (or RLM_MAX_CONTEXT_BYTES), or save it to a file and pass that',
  );
  const env = await runCli(["exec", `${dir}/plan.json`, "--no-cache"], {
    stdin: "12345678901",
    env: { RLM_MAX_CONTEXT_BYTES: "10" },
  });
  assertEquals(env.code, 2, env.stderr);
  const bad = await runCli(["exec", `${dir}/plan.json`, "--max-context-bytes", "lots"]);
  assertEquals(bad.code, 2, bad.stderr);
});

Deno.test("an answer cached from one endpoint is not replayed for another", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir}/ctx.txt`, "hello\n");
  const serverFor = (answer: string) =>
    startScriptedServer({ reply: () => ({ content: `{"mode":"final","answer":"${answer}"}` }) });
  await using one = serverFor("from one");
  await using two = serverFor("from two");
  const ask = (url: string) =>
    runCli([
      "run",
      "-q",
      "who?",
      "-c",
      `${dir}/ctx.txt`,
      "--base-url",
      url,
      "--cache-dir",
      `${dir}/c`,
    ]);
  assertEquals((await ask(one.url)).stdout, "from one\n");
  const second = await ask(two.url);
  assertEquals([second.code, second.stdout], [0, "from two\n"], second.stderr);
  assertEquals(two.requests.length, 1);
  // The same endpoint again is a hit.
  assertEquals((await ask(one.url)).stdout, "from one\n");
  assertEquals(one.requests.length, 1);
});

async function* walkFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walkFiles(path);
    else yield path;
  }
}
