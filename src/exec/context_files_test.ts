import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/_assert.ts";
import { hashValue } from "../cache/hash.ts";
import { UsageError } from "../protocol/errors.ts";
import { readContexts } from "./context_files.ts";
import { ContextFileChangedError } from "./file_text.ts";

async function withFiles(
  files: Record<string, Uint8Array | string>,
  fn: (dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "rlm-ctx-test-" });
  try {
    for (const [name, content] of Object.entries(files)) {
      if (typeof content === "string") await Deno.writeTextFile(`${dir}/${name}`, content);
      else await Deno.writeFile(`${dir}/${name}`, content);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("one file is context, read in line-aligned pieces and hashed like hashValue", async () => {
  // Over several read pieces, with multi-byte characters at the seams.
  const big = "line é 😀\n".repeat(1_000_000);
  await withFiles({ "a.log": big }, async (dir) => {
    const vars = await readContexts([`${dir}/a.log`]);
    assertEquals([...vars.keys()], ["context"]);
    const context = vars.get("context")!;
    const pieces = [...context.pieces!()];
    assert(pieces.length > 2, `${pieces.length} pieces`);
    for (const p of pieces.slice(0, -1)) assert(p.endsWith("\n"), "a piece ends at a line end");
    assertEquals(pieces.join(""), big);
    assertEquals(context.hash, hashValue(big));
    assertEquals(context.value, big);
  });
});

Deno.test("a line longer than a read piece is never split", async () => {
  const text = "short\n" + "x".repeat(9 << 20) + "\nend";
  await withFiles({ "long.log": text }, async (dir) => {
    const context = (await readContexts([`${dir}/long.log`])).get("context")!;
    const pieces = [...context.pieces!()];
    assertEquals(pieces.join(""), text);
    assert(pieces.some((p) => p.includes("x".repeat(9 << 20))), "the long line stays whole");
  });
});

Deno.test("a file that grows keeps its first bytes; one that shrinks or is rewritten fails", async () => {
  await withFiles({ "live.log": "one\ntwo\n" }, async (dir) => {
    const path = `${dir}/live.log`;
    const context = (await readContexts([path])).get("context")!;
    await Deno.writeTextFile(path, "three\n", { append: true });
    assertEquals([...context.pieces!()].join(""), "one\ntwo\n");
    assertEquals(context.value, "one\ntwo\n");

    const shrinking = (await readContexts([path])).get("context")!;
    await Deno.writeTextFile(path, "one\n");
    assertThrows(() => [...shrinking.pieces!()], ContextFileChangedError, "shrank");

    await Deno.writeTextFile(path, "abc\n");
    const rewritten = (await readContexts([path])).get("context")!;
    await Deno.writeTextFile(path, "xyz\n");
    await Deno.utime(path, new Date(), new Date(Date.now() + 5000));
    assertThrows(() => rewritten.hash, ContextFileChangedError, "was rewritten");
  });
});

Deno.test("a byte-order mark is dropped from the text and the hash follows the text", async () => {
  const bytes = new TextEncoder().encode("\uFEFFhello\n");
  await withFiles({ "bom.txt": bytes }, async (dir) => {
    const context = (await readContexts([`${dir}/bom.txt`])).get("context")!;
    assertEquals(context.hash, hashValue("hello\n"));
    assertEquals([...context.pieces!()].join(""), "hello\n");
    assertEquals(context.value, "hello\n");
  });
});

Deno.test("a pipe is read once, at the start", async () => {
  await withFiles({}, async (dir) => {
    const fifo = `${dir}/fifo`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert(made.success, "mkfifo");
    const writer = Deno.writeTextFile(fifo, "from a pipe\n");
    const vars = await readContexts([fifo]);
    await writer;
    assertEquals(vars.get("context")?.value, "from a pipe\n");
    assertEquals(vars.get("context")?.hash, hashValue("from a pipe\n"));
  });
});

Deno.test("several files are joined under headers and bound as file_0, file_1", async () => {
  await withFiles({ "a.txt": "one\ntwo", "b.txt": "three\n" }, async (dir) => {
    const vars = await readContexts([`${dir}/a.txt`, `${dir}/b.txt`]);
    const expected = `=== FILE ${dir}/a.txt ===\none\ntwo\n=== FILE ${dir}/b.txt ===\nthree\n`;
    assertEquals(vars.get("context")?.value, expected);
    assertEquals(vars.get("context")?.hash, hashValue(expected));
    assertEquals(vars.get("file_0")?.value, "one\ntwo");
    assertEquals(vars.get("file_1")?.hash, hashValue("three\n"));
  });
});

Deno.test("invalid UTF-8 is replaced and the hash is of the decoded text", async () => {
  // A bad byte, and a character cut short at the very end.
  for (const bytes of [[0x61, 0xff, 0x62, 0x0a], [0x61, 0x0a, 0xc3]]) {
    await withFiles({ "bad.bin": new Uint8Array(bytes) }, async (dir) => {
      const expected = new TextDecoder().decode(new Uint8Array(bytes));
      assert(expected.includes("\uFFFD"));
      const vars = await readContexts([`${dir}/bad.bin`]);
      assertEquals(vars.get("context")?.hash, hashValue(expected));
      assertEquals([...vars.get("context")!.pieces!()].join(""), expected);
      assertEquals(vars.get("context")?.value, expected);
    });
  }
});

Deno.test("stdin is read when there is no path, and - at most once", async () => {
  const stdin = new Blob(["from stdin"]).stream();
  const vars = await readContexts([], { stdin });
  assertEquals(vars.get("context")?.value, "from stdin");
  await assertRejects(() => readContexts(["-", "-"]), UsageError, "only once");
  await assertRejects(
    () => readContexts([], { stdinIsTerminal: true }),
    UsageError,
    "No context given",
  );
});

Deno.test("missing files and directories are usage errors naming the path", async () => {
  await withFiles({}, async (dir) => {
    await assertRejects(
      () => readContexts([`${dir}/nope.log`]),
      UsageError,
      `"${dir}/nope.log": no such file`,
    );
    await assertRejects(() => readContexts([dir]), UsageError, "is a directory");
  });
});
