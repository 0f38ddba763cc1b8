import { assert, assertEquals } from "../../tests/_assert.ts";
import { clearNixIndex, gcNixIndex, nixIndexStats } from "./nix_index_maintenance.ts";

async function tempDir(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "rlm-nix-index-test-" });
  return Object.assign(new String(dir), {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as unknown as string & AsyncDisposable;
}

const KEY = "ab".repeat(32);

Deno.test("gc drops index entries that point at another key's result, or at no store path", async () => {
  await using dir = await tempDir();
  const shard = `${dir}/nix/index/llm/ab`;
  await Deno.mkdir(shard, { recursive: true });
  // A real file stands in for a store path that exists: gc must still drop the entry by its name.
  await Deno.writeTextFile(
    `${shard}/${KEY}`,
    `/nix/store/${"a".repeat(32)}-rlm-llm-${"cd".repeat(32)}`,
  );
  await Deno.writeTextFile(`${shard}/${"ab".repeat(31)}ef`, "/etc/passwd");
  assert(
    (await new Deno.Command("mkfifo", { args: [`${shard}/${"ab".repeat(31)}00`] }).output())
      .success,
  );
  assertEquals((await nixIndexStats(String(dir)))?.indexed.llm, 2);
  // The FIFO is unlinked without being opened (opening it would hang).
  assertEquals(await gcNixIndex(String(dir)), 3);
  assertEquals([...Deno.readDirSync(shard)].length, 0);
});

Deno.test("stats, gc and clear never walk or delete through a symlink out of the cache dir", async () => {
  await using dir = await tempDir();
  await using outside = await tempDir();
  await Deno.mkdir(`${outside}/llm/ab`, { recursive: true });
  await Deno.writeTextFile(`${outside}/llm/ab/${KEY}`, "not rlm's");
  await Deno.mkdir(`${dir}/nix/roots`, { recursive: true });
  await Deno.symlink(String(outside), `${dir}/nix/index`);
  await Deno.symlink(`${outside}/llm`, `${dir}/nix/roots/llm`);
  assertEquals((await nixIndexStats(String(dir)))?.indexed, {});
  assertEquals(await gcNixIndex(String(dir), { olderThanDays: 0, nowMs: Date.now() + 1e9 }), 0);
  await clearNixIndex(String(dir));
  assertEquals(await Deno.readTextFile(`${outside}/llm/ab/${KEY}`), "not rlm's");
  // The whole nix folder as a symlink: clear unlinks it and nothing else.
  await Deno.remove(`${dir}/nix`, { recursive: true }).catch(() => {});
  await Deno.symlink(String(outside), `${dir}/nix`);
  await clearNixIndex(String(dir));
  assertEquals(await Deno.readTextFile(`${outside}/llm/ab/${KEY}`), "not rlm's");
  assertEquals(await Deno.lstat(`${dir}/nix`).then(() => true, () => false), false);
});

Deno.test("a Nix index entry pointing at another key's stored result is a miss", async () => {
  const { NixResultStore } = await import("../exec/nix/nix_result_store.ts");
  const { encodeEntry } = await import("./file_store.ts");
  await using dir = await tempDir();
  const other = "cd".repeat(32);
  const shard = `${dir}/nix/index/llm/ab`;
  await Deno.mkdir(shard, { recursive: true });
  // Stand-ins for store paths: one named after another key, one named right holding another's entry.
  const wrongName = `${dir}/${"a".repeat(32)}-rlm-llm-${other}`;
  await Deno.writeFile(wrongName, encodeEntry("other answer", { ns: "llm", key: other }));
  const store = new NixResultStore(String(dir));
  await Deno.writeTextFile(`${shard}/${KEY}`, wrongName);
  assertEquals(await store.get("llm", KEY), undefined);
  const rightName = `${dir}/${"b".repeat(32)}-rlm-llm-${KEY}`;
  await Deno.writeFile(rightName, encodeEntry("other answer", { ns: "llm", key: other }));
  await Deno.writeTextFile(`${shard}/${KEY}`, rightName);
  assertEquals(await store.get("llm", KEY), undefined);
  await Deno.writeFile(rightName, encodeEntry("the answer", { ns: "llm", key: KEY }));
  assertEquals(await store.get("llm", KEY), "the answer");
});

const hasNix =
  new Deno.Command("nix-store", { args: ["--version"], stdout: "null", stderr: "null" })
    .outputSync().success;

Deno.test({
  name: hasNix
    ? "a Nix result that cannot be indexed (the cache dir is in the way) is a warning, not a failure"
    : "a Nix result that cannot be indexed (skipped: nix-store is not installed)",
  ignore: !hasNix,
  async fn() {
    const { NixResultStore } = await import("../exec/nix/nix_result_store.ts");
    await using dir = await tempDir();
    await Deno.writeTextFile(`${dir}/nix`, "a file where the index folder belongs");
    const store = new NixResultStore(String(dir));
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(" "));
    try {
      await store.put("llm", KEY, "v1");
      await store.put("llm", KEY, "v2");
    } finally {
      console.error = original;
    }
    assertEquals(errors.length, 1, errors.join("\n"));
    assert(errors[0].startsWith("rlm: warning: cannot store a result"), errors[0]);
  },
});
