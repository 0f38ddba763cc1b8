import { assertEquals, assertRejects } from "../../tests/_assert.ts";
import { hashValue } from "../cache/hash.ts";
import { UsageError } from "../protocol/errors.ts";
import { readContexts } from "./context_files.ts";

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

Deno.test("one file is context, hashed as it streams to the same hash as hashValue", async () => {
  const big = "line é 😀\n".repeat(3_000_000); // over one 16 MiB read chunk, multi-byte at the seams
  await withFiles({ "a.log": big }, async (dir) => {
    for (const hash of ["eager", "lazy"] as const) {
      const vars = await readContexts([`${dir}/a.log`], { hash });
      assertEquals([...vars.keys()], ["context"]);
      assertEquals(vars.get("context")?.value, big);
      assertEquals(vars.get("context")?.hash, hashValue(big));
    }
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
  await withFiles({ "bad.bin": new Uint8Array([0x61, 0xff, 0x62, 0x0a]) }, async (dir) => {
    const vars = await readContexts([`${dir}/bad.bin`]);
    assertEquals(vars.get("context")?.value, "a\uFFFDb\n");
    assertEquals(vars.get("context")?.hash, hashValue("a\uFFFDb\n"));
  });
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
