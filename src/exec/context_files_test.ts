import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/_assert.ts";
import { hashValue } from "../cache/hash.ts";
import { InfrastructureError, UsageError } from "../protocol/errors.ts";
import { readContexts } from "./context_files.ts";
import { ContextFileChangedError, fileTextBinding, snapshotOf } from "./file_text.ts";

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

Deno.test("a file that grows, shrinks or is rewritten after it was seen is an infrastructure error", async () => {
  await withFiles({ "live.log": "one\ntwo\n" }, async (dir) => {
    const path = `${dir}/live.log`;
    const growing = (await readContexts([path])).get("context")!;
    await Deno.writeTextFile(path, "three\n", { append: true });
    const grew = assertThrows(() => [...growing.pieces!()], ContextFileChangedError, "grew");
    assert(grew instanceof InfrastructureError, "exit 1, never a step error for the model");
    assertThrows(() => growing.value, ContextFileChangedError, `"${path}" grew`);

    const shrinking = (await readContexts([path])).get("context")!;
    await Deno.writeTextFile(path, "one\n");
    assertThrows(() => [...shrinking.pieces!()], ContextFileChangedError, "shrank");

    await Deno.writeTextFile(path, "abc\n");
    const rewritten = (await readContexts([path])).get("context")!;
    await Deno.writeTextFile(path, "xyz\n");
    await Deno.utime(path, new Date(), new Date(Date.now() + 5000));
    assertThrows(() => rewritten.hash, ContextFileChangedError, "was modified");
  });
});

Deno.test("another file moved over a context file between two reads is noticed, not cached under the old hash", async () => {
  // The attack: the first step hashes a.log; b.log (longer, so it once passed for an append) is
  // moved over it; a later step must not read b.log's bytes as a.log's.
  await withFiles({ "a.log": "alpha\n", "b.log": "bravo bravo\n" }, async (dir) => {
    const context = (await readContexts([`${dir}/a.log`])).get("context")!;
    assertEquals(context.hash, hashValue("alpha\n"));
    await Deno.rename(`${dir}/b.log`, `${dir}/a.log`);
    assertThrows(
      () => [...context.pieces!()],
      ContextFileChangedError,
      "was replaced by another file",
    );
    assertThrows(() => context.value, ContextFileChangedError, "was replaced by another file");
  });
  // Same size, and the times put back as they were: the inode still tells them apart.
  await withFiles({ "a.log": "alpha\n", "b.log": "bravo\n" }, async (dir) => {
    const info = await Deno.stat(`${dir}/a.log`);
    await Deno.utime(`${dir}/b.log`, info.atime!, info.mtime!);
    const context = (await readContexts([`${dir}/a.log`])).get("context")!;
    await Deno.rename(`${dir}/b.log`, `${dir}/a.log`);
    assertThrows(() => context.hash, ContextFileChangedError, "was replaced by another file");
  });
});

Deno.test("bytes rewritten in place behind an unchanged status fail the next whole read", async () => {
  await withFiles({ "a.log": "alpha\n" }, async (dir) => {
    const path = `${dir}/a.log`;
    const info = await Deno.stat(path);
    // Size and modification time put back after the rewrite; with no status-change time in the
    // snapshot (a file system without one), only the digest of the bytes read can tell.
    const { ctime: _, ...source } = snapshotOf(path, info);
    const rewrite = async (text: string) => {
      await Deno.writeFile(path, new TextEncoder().encode(text), { create: false });
      await Deno.utime(path, info.atime!, info.mtime!);
    };
    // Each sequence reads the hash (as a cache lookup does before the op) and then the file again.
    const sequences = [["hash", "pieces"], ["pieces", "hash", "pieces"], ["hash", "value"]];
    for (const reads of sequences) {
      const second = reads.pop() as string;
      await rewrite("alpha\n");
      const binding = fileTextBinding(source);
      const read = (how: string) =>
        how === "hash" ? binding.hash : how === "value" ? binding.value : [...binding.pieces!()];
      reads.forEach(read);
      await rewrite("ALPHA\n");
      assertThrows(
        () => read(second),
        ContextFileChangedError,
        "was modified",
      );
    }
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

Deno.test("/dev/stdin and /dev/fd/0 are standard input, like -", async () => {
  for (const path of ["-", "/dev/stdin", "/dev/fd/0"]) {
    const vars = await readContexts([path], { stdin: new Blob(["piped\n"]).stream() });
    assertEquals(vars.get("context")?.value, "piped\n", path);
    assertEquals(vars.get("context")?.hash, hashValue("piped\n"), path);
  }
  await assertRejects(() => readContexts(["-", "/dev/stdin"]), UsageError, "only once");
});

Deno.test("a device or stdin is read up to --max-context-bytes, then refused", async () => {
  // /dev/zero never ends: before the limit it was read until memory ran out.
  await assertRejects(
    () => readContexts(["/dev/zero"], { maxContextBytes: 1 << 20 }),
    UsageError,
    `Context "/dev/zero" is larger than --max-context-bytes (1048576 bytes)`,
  );
  const stdin = new Blob(["x".repeat(11)]).stream();
  await assertRejects(
    () => readContexts([], { stdin, maxContextBytes: 10 }),
    UsageError,
    "--max-context-bytes (10 bytes)",
  );
  const exact = await readContexts([], {
    stdin: new Blob(["x".repeat(10)]).stream(),
    maxContextBytes: 10,
  });
  assertEquals(exact.get("context")?.value, "x".repeat(10));
});

Deno.test("stdin held in memory streams line-aligned pieces that join to its text", async () => {
  const text = "line é 😀\n".repeat(300_000) + "x".repeat(3 << 20) + "\ntail";
  const vars = await readContexts([], { stdin: new Blob([text]).stream() });
  const context = vars.get("context")!;
  const pieces = [...context.pieces!()];
  assert(pieces.length > 2, `${pieces.length} pieces`);
  for (const p of pieces.slice(0, -1)) assert(p.endsWith("\n"), "a piece ends at a line end");
  assertEquals(pieces.join(""), text);
  assertEquals(context.hash, hashValue(text));
});
