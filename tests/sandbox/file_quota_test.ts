import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { SandboxExceptionError } from "../../src/protocol/sandbox_errors.ts";
import { testRuntimes } from "./_runtimes.ts";

// Files of the Pyodide and shim runtimes live in memory, outside the capped Wasm memory: they
// get a quota (a quarter of the memory limit, 64 MB here). Under wasmtime, files go to a temp
// folder on disk (docs/explanation/sandbox.md), so it is not run here.
const FILL = "for i in range(40):\n" +
  "    with open('/f%d' % i, 'wb') as f: f.write(b'0' * (32 * 1024 * 1024))\n";
const TRUNCATE_HUGE = "open('/big', 'wb').truncate(3 * 1024**3)";
const REWRITE = "for i in range(200):\n" +
  "    with open('/log', 'w') as f: f.write('y' * 1000000)\n" +
  "print(len(open('/log').read()))";

for (const runtime of testRuntimes().filter((r) => r.name !== "wasmtime")) {
  Deno.test({
    name: `${runtime.name}: files the code writes count against a quota, and a rewrite does not${
      runtime.skip ? ` (skipped: ${runtime.skip})` : ""
    }`,
    ignore: runtime.skip !== undefined,
    async fn() {
      const snapshotDir = await Deno.makeTempDir({ prefix: "rlm-quota-" });
      try {
        const sandbox = await runtime.make(
          { timeoutMs: 20_000, memoryMb: 256, maxOutputBytes: 65_536 },
          snapshotDir,
        );
        for (const code of [FILL, TRUNCATE_HUGE]) {
          const error = await assertRejects(() => sandbox.run(code, {}), SandboxExceptionError);
          assert(/No space left on device/.test(error.message), error.message);
        }
        // 200 MB written in all, but never more than 1 MB at once.
        assertEquals((await sandbox.run(REWRITE, {})).trim(), "1000000");
      } finally {
        await Deno.remove(snapshotDir, { recursive: true });
      }
    },
  });
}
