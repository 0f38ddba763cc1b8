/**
 * The hostile corpus on every runtime: each snippet must end as its case says (a typed error
 * with the message the model is told, or a harmless result), and leak nothing from the host.
 * No wall time is asserted: the sandbox's own limits bound each snippet.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { HOST_SECRET, HOSTILE_CASES } from "./hostile_corpus.ts";
import { testRuntimes } from "./_runtimes.ts";
import { PROJECT_LOCK } from "../../src/sandbox/_deno_child.ts";
import { tempDir } from "../_temp_dir.ts";

/** What no message the model sees may contain: the host's paths and JavaScript frames. */
const HOST_TRACES = /file:\/\/|\.cache\/deno|pyodide\.asm|ext:deno|at async /;

for (const runtime of testRuntimes()) {
  Deno.test({
    name:
      `${runtime.name}: every hostile snippet is contained, as a typed error or a harmless result${
        runtime.skip ? ` (skipped: ${runtime.skip})` : ""
      }`,
    ignore: runtime.skip !== undefined,
    async fn(t) {
      Deno.env.set("OPENAI_API_KEY", HOST_SECRET);
      await using dir = await tempDir("rlm-hostile-");
      const hostFile = `${dir.path}/secret.txt`;
      await Deno.writeTextFile(hostFile, HOST_SECRET);
      const snapshotDir = `${dir.path}/snapshots`;
      await Deno.mkdir(snapshotDir);
      const vars = {
        context: "some text",
        host_file: hostFile,
        snapshot_dir: snapshotDir,
        host_lock: PROJECT_LOCK,
      };
      try {
        const sandbox = await runtime.make({
          timeoutMs: 5000,
          memoryMb: 256,
          maxOutputBytes: 65_536,
        }, snapshotDir);
        // Four at a time: each is its own process.
        const outcomes = new Map<string, { name: string; message?: string; output?: string }>();
        const queue = [...HOSTILE_CASES];
        await Promise.all(Array.from({ length: 4 }, async () => {
          for (let c = queue.shift(); c; c = queue.shift()) {
            try {
              outcomes.set(c.name, { name: "ok", output: await sandbox.run(c.code, vars) });
            } catch (error) {
              const e = error as Error;
              outcomes.set(c.name, { name: e.name, message: e.message });
            }
          }
        }));
        for (const c of HOSTILE_CASES) {
          await t.step(c.name, () => {
            const o = outcomes.get(c.name)!;
            const allowed = Array.isArray(c.expect) ? c.expect : [c.expect];
            const seen = `${o.name}: ${o.message ?? o.output}`;
            assert(allowed.includes(o.name as never), `${c.name}: ${seen}`);
            for (const leak of [HOST_SECRET, ...(c.mustNotContain ?? [])]) {
              assert(!seen.includes(leak), `${c.name} leaked ${leak}: ${seen}`);
            }
            if (o.name === "ok" && c.output !== undefined) assertEquals(o.output, c.output);
            if (o.name !== "ok") {
              assert(!HOST_TRACES.test(o.message ?? ""), `${c.name}: host traces in ${seen}`);
              // What the model is told is short, whatever the code quoted.
              assert((o.message ?? "").length < 20_000, `${c.name}: ${o.message?.length} chars`);
              // A snippet's own failure is the model's, never a broken sandbox.
              assert(o.name !== "SandboxRuntimeError", seen);
              if (c.message) assertMatch(o.message ?? "", c.message);
            }
          });
        }
        for (const path of ["/tmp/rlm-sandbox-pwned", "/tmp/rlm-pwned"]) {
          assert(
            !(await Deno.stat(path).then(() => true, () => false)),
            `${path} must not exist on the host`,
          );
        }
      } finally {
        Deno.env.delete("OPENAI_API_KEY");
      }
    },
  });
}
