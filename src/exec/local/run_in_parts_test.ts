import { assert, assertEquals, assertRejects } from "../../../tests/_assert.ts";
import { parseOperation } from "../../ops/parse_operation.ts";
import { runOp } from "../../ops/run_op.ts";
import type { Binding } from "../../protocol/value.ts";
import { fileTextBinding } from "../file_text.ts";
import { runInParts } from "./run_in_parts.ts";
import type { PartRequest, PartResponse } from "./_parts_worker.ts";

async function withFile(text: string, fn: (context: Binding) => void | Promise<void>) {
  const path = await Deno.makeTempFile({ prefix: "rlm-parts-" });
  try {
    await Deno.writeTextFile(path, text);
    const info = await Deno.stat(path);
    await fn(fileTextBinding({ path, size: info.size, mtime: info.mtime?.getTime() ?? null }));
  } finally {
    await Deno.remove(path);
  }
}

// Lines of varied length and content, blank lines, multi-byte characters, no final newline.
const TEXT = Array.from(
  { length: 3000 },
  (_, i) =>
    i % 17 === 0 ? "" : `${i} ${i % 5 === 0 ? "ERROR é timeout" : "ok 😀"} ${"x".repeat(i % 40)}`,
)
  .join("\n");

const OPS_TO_SPLIT = [
  { op: "grep", args: { input: "context", pattern: "ERROR" } },
  { op: "grep", args: { input: "context", pattern: "^$" } },
  { op: "grep", args: { input: "context", pattern: "(?i)é T" } },
  { op: "count", args: { input: "context", mode: "lines" } },
  { op: "count", args: { input: "context", mode: "chars" } },
  { op: "count", args: { input: "context", mode: "words" } },
  { op: "count", args: { input: "context", mode: "matches", pattern: "\\d+" } },
];

Deno.test("grep and count in parallel parts of a file give the bytes of the whole-text op", async () => {
  await withFile(TEXT, async (context) => {
    const vars = new Map([["context", context]]);
    for (const raw of OPS_TO_SPLIT) {
      const op = parseOperation(raw);
      const expected = await runOp(op, new Map([["context", { value: TEXT, hash: "" }]]), {});
      for (const parallel of [2, 3, 5]) {
        const parted = runInParts(op, vars, { parallel, minPartBytes: 1 });
        assert(parted !== undefined, `${raw.op} splits`);
        assertEquals(await parted, expected, `${JSON.stringify(raw)} in ${parallel} parts`);
      }
    }
  });
});

Deno.test("ops that need their neighbours, small files and texts in memory are not split", async () => {
  await withFile(TEXT, (context) => {
    const vars = new Map([["context", context]]);
    const withContext = parseOperation({
      op: "grep",
      args: { input: "context", pattern: "ERROR", context_lines: 1 },
    });
    assertEquals(runInParts(withContext, vars, { parallel: 4, minPartBytes: 1 }), undefined);
    const lines = parseOperation({ op: "lines", args: { input: "context", start: 1, end: 2 } });
    assertEquals(runInParts(lines, vars, { parallel: 4, minPartBytes: 1 }), undefined);
    const grep = parseOperation({ op: "grep", args: { input: "context", pattern: "ERROR" } });
    assertEquals(runInParts(grep, vars, { parallel: 4 }), undefined, "under 2 x 32 MiB");
    assertEquals(runInParts(grep, vars, { parallel: 1, minPartBytes: 1 }), undefined);
    const inMemory = new Map([["context", { value: TEXT, hash: "" }]]);
    assertEquals(runInParts(grep, inMemory, { parallel: 4, minPartBytes: 1 }), undefined);
  });
});

Deno.test("a file rewritten before a parallel scan fails with a message that names it", async () => {
  await withFile(TEXT, async (context) => {
    const path = context.source!.path;
    await Deno.writeTextFile(path, TEXT.replaceAll("ERROR", "error"));
    await Deno.utime(path, new Date(), new Date(Date.now() + 5000));
    const grep = parseOperation({ op: "grep", args: { input: "context", pattern: "ERROR" } });
    await assertRejects(
      async () =>
        await runInParts(grep, new Map([["context", context]]), {
          parallel: 3,
          minPartBytes: 1,
        }),
      Error,
      "was modified",
    );
  });
});

Deno.test("a parts worker answers a failure as a message, not a crash", async () => {
  const worker = new Worker(new URL("./_parts_worker.ts", import.meta.url), { type: "module" });
  try {
    const op = parseOperation({ op: "count", args: { input: "context" } });
    const answer = await new Promise<PartResponse>((resolve) => {
      worker.onmessage = (e: MessageEvent<PartResponse>) => resolve(e.data);
      worker.postMessage(
        {
          op,
          source: { path: "/nonexistent/rlm.log", size: 10, mtime: null },
          start: 0,
          end: 10,
        } satisfies PartRequest,
      );
    });
    assertEquals(answer.ok, false);
    assert(!answer.ok && answer.message.includes("/nonexistent/rlm.log"), JSON.stringify(answer));
  } finally {
    worker.terminate();
  }
});

Deno.test("a signal that fired before the scan starts rejects with its reason and starts no worker", async () => {
  await withFile(TEXT, async (context) => {
    const grep = parseOperation({ op: "grep", args: { input: "context", pattern: "ERROR" } });
    const controller = new AbortController();
    controller.abort(new Error("the run's deadline passed"));
    await assertRejects(
      async () =>
        await runInParts(grep, new Map([["context", context]]), {
          parallel: 3,
          minPartBytes: 1,
          signal: controller.signal,
        }),
      Error,
      "the run's deadline passed",
    );
  });
});
