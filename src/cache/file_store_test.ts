import { assert, assertEquals, assertRejects } from "../../tests/_assert.ts";
import { UsageError } from "../protocol/errors.ts";
import { cacheStats } from "./cache_stats.ts";
import { clearCache } from "./clear_cache.ts";
import { decodeEntry, encodeEntry, openFileStore } from "./file_store.ts";
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

Deno.test("an entry copied to another key's path, or to the other namespace, is a miss", async () => {
  await using dir = await tempDir();
  const store = await openFileStore(String(dir));
  await store.put("op", KEY, "the answer for KEY");
  await Deno.mkdir(store.pathOf("op", KEY2).replace(/[^/]+$/, ""), { recursive: true });
  await Deno.copyFile(store.pathOf("op", KEY), store.pathOf("op", KEY2));
  assertEquals(await store.get("op", KEY2), undefined);
  await Deno.mkdir(store.pathOf("llm", KEY).replace(/[^/]+$/, ""), { recursive: true });
  await Deno.copyFile(store.pathOf("op", KEY), store.pathOf("llm", KEY));
  assertEquals(await store.get("llm", KEY), undefined);
  assertEquals(await store.get("op", KEY), "the answer for KEY");
  // An entry that records no key (as every entry did before) proves nothing: a miss too.
  await Deno.writeFile(store.pathOf("op", KEY), encodeEntry("old format"));
  assertEquals(await store.get("op", KEY), undefined);
  assertEquals(decodeEntry(encodeEntry("v", { ns: "op", key: KEY }), { ns: "op", key: KEY }), "v");
});

Deno.test("a folder, a FIFO or a symlink where an entry belongs is a miss, never opened", async () => {
  await using dir = await tempDir();
  await using outside = await tempDir();
  const store = await openFileStore(String(dir));
  const warnings: string[] = [];
  const quiet = await openFileStore(String(dir), { onWarning: (m) => warnings.push(m) });
  const folder = store.pathOf("op", KEY).replace(/[^/]+$/, "");
  await Deno.mkdir(store.pathOf("op", KEY), { recursive: true });
  assertEquals(await quiet.get("op", KEY), undefined);
  const fifo = store.pathOf("op", KEY2);
  await Deno.mkdir(fifo.replace(/[^/]+$/, ""), { recursive: true });
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert(made.success, "mkfifo");
  // Opening it for reading would block until a writer came: this returned at once.
  assertEquals(await quiet.get("op", KEY2), undefined);
  const target = `${outside}/secret`;
  const entry = encodeEntry("planted", { ns: "op", key: "ef".repeat(32) });
  await Deno.writeFile(target, entry);
  await Deno.symlink(target, `${folder}/${"ef".repeat(32)}`);
  assertEquals(await quiet.get("op", "ef".repeat(32)), undefined);
  // Writing over the folder fails: the run goes on, with one warning for the whole store.
  await quiet.put("op", KEY, "v");
  await quiet.put("op", KEY, "v");
  assertEquals(warnings.length, 1, warnings.join("\n"));
  assert(warnings[0].includes("cannot write to the cache"), warnings[0]);
});

Deno.test("a cache that cannot be written warns once and the run goes on", async () => {
  await using dir = await tempDir();
  const warnings: string[] = [];
  const store = await openFileStore(String(dir), { onWarning: (m) => warnings.push(m) });
  // The namespace folder is a file: every write fails, as on a full or read-only disk.
  await Deno.writeTextFile(`${dir}/v1/op`, "in the way");
  for (let i = 0; i < 5; i++) await store.put("op", KEY, `v${i}`);
  assertEquals(await store.get("op", KEY), undefined);
  assertEquals(warnings.length, 1);
  assert(warnings[0].startsWith(`cannot write to the cache in "${dir}"`), warnings[0]);
});

Deno.test("a cache dir that is a file is a usage error", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir}/file`, "x");
  await assertRejects(() => openFileStore(`${dir}/file`), UsageError, "is not a directory");
});

Deno.test("stats, gc and clear cope with folders, FIFOs and symlinks pointing outside", async () => {
  await using dir = await tempDir();
  await using outside = await tempDir();
  const store = await openFileStore(String(dir));
  await store.put("op", KEY, "kept");
  await Deno.writeTextFile(`${outside}/precious`, "not rlm's");
  const folder = store.pathOf("op", KEY).replace(/[^/]+$/, "");
  await Deno.mkdir(`${folder}/${"11".repeat(32)}/inner`, { recursive: true });
  await Deno.symlink(`${outside}`, `${folder}/${"11".repeat(32)}/inner/link`);
  assert(
    (await new Deno.Command("mkfifo", { args: [`${folder}/${"22".repeat(32)}`] }).output()).success,
  );
  await Deno.symlink(`${outside}/precious`, `${folder}/${"33".repeat(32)}`);
  await Deno.symlink(String(outside), `${dir}/v1/llm`);
  // An entry copied under another key is removed by gc as not verifying.
  await Deno.copyFile(store.pathOf("op", KEY), `${folder}/${"ab".repeat(31)}cd`);

  const stats = await cacheStats(String(dir));
  assertEquals([stats.entries, stats.junk], [2, 4]);
  const report = await gcCache(String(dir));
  assertEquals([report.removedJunk, report.removedCorrupt, report.keptEntries], [4, 1, 1]);
  assertEquals(await Deno.readTextFile(`${outside}/precious`), "not rlm's");
  assertEquals(await store.get("op", KEY), "kept");
  assertEquals((await cacheStats(String(dir))).junk, 0);

  // clear on a store whose v1 folder is itself a symlink to elsewhere unlinks it, nothing more.
  await Deno.remove(`${dir}/v1`, { recursive: true });
  await Deno.symlink(String(outside), `${dir}/v1`);
  await clearCache(String(dir));
  assertEquals(await Deno.readTextFile(`${outside}/precious`), "not rlm's");
  assertEquals(await Deno.lstat(`${dir}/v1`).then(() => true, () => false), false);
});

Deno.test("a corrupt entry behind a symlinked folder is a miss, and what is outside stays", async () => {
  await using dir = await tempDir();
  await using outside = await tempDir();
  const store = await openFileStore(String(dir));
  await Deno.mkdir(`${dir}/v1/op`, { recursive: true });
  await Deno.symlink(String(outside), `${dir}/v1/op/ab`);
  await Deno.writeTextFile(`${outside}/${KEY}`, "someone's file");
  assertEquals(await store.get("op", KEY), undefined);
  assertEquals(await Deno.readTextFile(`${outside}/${KEY}`), "someone's file");
});
