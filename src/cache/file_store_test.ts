import { assert, assertEquals } from "../../tests/_assert.ts";
import { cacheStats } from "./cache_stats.ts";
import { clearCache } from "./clear_cache.ts";
import { openFileStore } from "./file_store.ts";
import { gcCache } from "./gc_cache.ts";

const KEY = "ab".repeat(32);
const KEY2 = "cd".repeat(32);

async function tempDir(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "rlm-store-test-" });
  return Object.assign(new String(dir), {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as unknown as string & AsyncDisposable;
}

Deno.test("the file store round-trips texts and lists", async () => {
  await using dir = await tempDir();
  const store = await openFileStore(String(dir));
  for (const value of ["", "plain", "unicode é 😀\nline", [], ["a", "", "😀"], ["x\ny"]]) {
    await store.put("op", KEY, value);
    assertEquals(await store.get("op", KEY), value);
  }
  assertEquals(await store.get("llm", KEY), undefined, "namespaces are separate");
  assertEquals(await store.get("op", KEY2), undefined);
});

Deno.test("a corrupt or truncated entry is discarded and reads as a miss", async () => {
  await using dir = await tempDir();
  const store = await openFileStore(String(dir));
  for (
    const damage of [(b: Uint8Array) => b.subarray(0, b.length - 1), (b: Uint8Array) => {
      const c = b.slice();
      c[c.length - 1] ^= 1;
      return c;
    }, () => new TextEncoder().encode("not an entry")]
  ) {
    await store.put("op", KEY, ["hello", "world"]);
    const path = store.pathOf("op", KEY);
    await Deno.writeFile(path, damage(await Deno.readFile(path)));
    assertEquals(await store.get("op", KEY), undefined);
    assertEquals(
      await Deno.stat(path).then(() => true, () => false),
      false,
      "the entry was deleted",
    );
  }
});

Deno.test("several processes writing the same and different keys at once leave valid entries", async () => {
  await using dir = await tempDir();
  const script = `
    import { openFileStore } from "${new URL("./file_store.ts", import.meta.url).href}";
    const store = await openFileStore(Deno.args[0]);
    const big = "line of text\\n".repeat(200000);
    for (let i = 0; i < 20; i++) {
      await store.put("op", "${KEY}", big);
      await store.put("op", (i % 10).toString(16).repeat(64), "v" + (i % 10));
    }`;
  const procs = Array.from(
    { length: 4 },
    () =>
      new Deno.Command(Deno.execPath(), { args: ["eval", script, String(dir)], stderr: "piped" })
        .output(),
  );
  for (const p of await Promise.all(procs)) {
    assertEquals(p.code, 0, new TextDecoder().decode(p.stderr));
  }
  const store = await openFileStore(String(dir));
  assertEquals(await store.get("op", KEY), "line of text\n".repeat(200000));
  for (let i = 0; i < 10; i++) {
    assertEquals(await store.get("op", i.toString(16).repeat(64)), `v${i}`);
  }
  const stats = await cacheStats(String(dir));
  assertEquals(stats.tempFiles, 0);
  assertEquals(stats.namespaces.op.entries, 11);
});

Deno.test("gc removes dead temp files, corrupt entries, old entries and the least recently used", async () => {
  await using dir = await tempDir();
  const store = await openFileStore(String(dir));
  await store.put("op", KEY, "old");
  await store.put("op", KEY2, "x".repeat(1000));
  await store.put("llm", "ef".repeat(32), "recent");
  const day = 24 * 3600_000;
  const now = Date.now();
  await Deno.utime(store.pathOf("op", KEY), new Date(now - 10 * day), new Date(now - 10 * day));
  await Deno.utime(store.pathOf("op", KEY2), new Date(now - 2 * day), new Date(now - 2 * day));
  const tmp = store.pathOf("op", KEY).replace(/[^/]+$/, ".tmp-dead");
  await Deno.writeTextFile(tmp, "partial");
  await Deno.utime(tmp, new Date(now - 2 * 3600_000), new Date(now - 2 * 3600_000));
  const corrupt = store.pathOf("op", "12".repeat(32));
  await Deno.mkdir(corrupt.replace(/[^/]+$/, ""), { recursive: true });
  await Deno.writeTextFile(corrupt, "garbage");

  const report = await gcCache(String(dir), { olderThanDays: 7, maxBytes: 200 });
  assertEquals(report.removedTemp, 1);
  assertEquals(report.removedCorrupt, 1);
  assertEquals(
    report.removedEntries,
    2,
    "the 10-day-old entry, then the biggest-oldest one to fit 200 bytes",
  );
  assertEquals(await store.get("llm", "ef".repeat(32)), "recent");
  assertEquals(await store.get("op", KEY), undefined);
  assertEquals(await store.get("op", KEY2), undefined);
  const cleared = await clearCache(String(dir));
  assertEquals(cleared.entries, 1);
  assertEquals((await cacheStats(String(dir))).entries, 0);
});

Deno.test("a cache hit refreshes the entry's last use", async () => {
  await using dir = await tempDir();
  const store = await openFileStore(String(dir));
  await store.put("op", KEY, "v");
  const old = new Date(Date.now() - 30 * 24 * 3600_000);
  await Deno.utime(store.pathOf("op", KEY), old, old);
  await store.get("op", KEY);
  const mtime = (await Deno.stat(store.pathOf("op", KEY))).mtime as Date;
  assert(Date.now() - mtime.getTime() < 3600_000);
});
