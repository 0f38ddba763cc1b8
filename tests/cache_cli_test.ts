import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";

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
