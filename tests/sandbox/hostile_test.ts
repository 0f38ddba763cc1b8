import { assert } from "../_assert.ts";
import { HOST_SECRET, HOSTILE_CASES } from "./hostile_corpus.ts";
import { testRuntimes } from "./_runtimes.ts";

for (const runtime of testRuntimes()) {
  Deno.test({
    name:
      `${runtime.name}: every hostile snippet is contained, as a typed error or a harmless result${
        runtime.skip ? ` (skipped: ${runtime.skip})` : ""
      }`,
    ignore: runtime.skip !== undefined,
    async fn(t) {
      Deno.env.set("OPENAI_API_KEY", HOST_SECRET);
      const snapshotDir = await Deno.makeTempDir({ prefix: "rlm-hostile-" });
      try {
        const sandbox = await runtime.make({
          timeoutMs: 5000,
          memoryMb: 256,
          maxOutputBytes: 65_536,
        }, snapshotDir);
        // Four at a time: each is its own process. A 5 s limit leaves room for a loaded CI machine
        // (growing a list to the memory cap takes ~1.5 s unloaded).
        const outcomes = new Map<string, { name: string; output?: string; ms: number }>();
        const queue = [...HOSTILE_CASES];
        await Promise.all(Array.from({ length: 4 }, async () => {
          for (let c = queue.shift(); c; c = queue.shift()) {
            const start = performance.now();
            try {
              const output = await sandbox.run(c.code, { context: "some text" });
              outcomes.set(c.name, { name: "ok", output, ms: performance.now() - start });
            } catch (error) {
              const e = error as Error;
              outcomes.set(c.name, {
                name: `${e.name}: ${e.message}`,
                ms: performance.now() - start,
              });
            }
          }
        }));
        for (const c of HOSTILE_CASES) {
          await t.step(c.name, () => {
            const o = outcomes.get(c.name)!;
            const allowed = Array.isArray(c.expect) ? c.expect : [c.expect];
            assert(
              allowed.includes(o.name.split(":")[0] as never),
              `${c.name}: ${o.name} ${o.output ?? ""}`,
            );
            for (const leak of c.mustNotContain ?? []) {
              assert(!(o.output ?? "").includes(leak), `${c.name} leaked ${leak}`);
            }
            assert(!o.name.includes(HOST_SECRET), "no secret in error messages");
            // Bounded: the time limit plus start-up, never a hang.
            assert(o.ms < 5000 + 15_000, `${c.name} took ${o.ms} ms`);
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
        await Deno.remove(snapshotDir, { recursive: true });
      }
    },
  });
}
