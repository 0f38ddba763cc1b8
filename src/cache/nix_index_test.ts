import { assert, assertEquals } from "../../tests/_assert.ts";
import { tempDir } from "../../tests/_temp_dir.ts";
import { gcNixIndex } from "./nix_index_maintenance.ts";
import { NIX_STORE_DIR, NixIndex, resultAddress, resultName } from "./nix_index.ts";

const KEY = "ab".repeat(32);
const DAY = 86_400_000;

Deno.test("an index hit marks the entry used; a miss, or anything but a file, is not read", async () => {
  await using dir = await tempDir("rlm-nix-index-test-");
  const index = new NixIndex(dir.path);
  await index.write("op", KEY, dir.path);
  const file = index.entryPath("op", KEY);
  assertEquals(file, `${dir.path}/nix/index/op/ab/${KEY}`);
  const long = new Date(Date.now() - 40 * DAY);
  await Deno.utime(file, long, long);
  assertEquals(await index.read("op", KEY), dir.path);
  assert(Date.now() - (await Deno.stat(file)).mtime!.getTime() < DAY, "refreshed by the hit");
  // An entry whose store path is gone is a miss, and stays as old as it was.
  await index.write("op", "cd".repeat(32), `${dir.path}/gone`);
  await Deno.utime(index.entryPath("op", "cd".repeat(32)), long, long);
  assertEquals(await index.read("op", "cd".repeat(32)), undefined);
  assertEquals((await Deno.stat(index.entryPath("op", "cd".repeat(32)))).mtime, long);
  // A folder where an entry belongs is a miss, not an error.
  await Deno.mkdir(index.entryPath("llm", KEY), { recursive: true });
  assertEquals(await index.read("llm", KEY), undefined);
});

Deno.test("a stored result's store path names its namespace and key; nothing else does", () => {
  const path = `${NIX_STORE_DIR}/${"a".repeat(32)}-${resultName("llm", KEY)}`;
  assertEquals(resultAddress(path), { ns: "llm", key: KEY });
  assertEquals(
    resultAddress(`${NIX_STORE_DIR}/${"a".repeat(32)}-rlm-op-grep-${"0".repeat(32)}`),
    undefined,
  );
  assertEquals(resultAddress(`/tmp/${"a".repeat(32)}-${resultName("op", KEY)}`), undefined);
});

const storePath = (() => {
  try {
    for (const e of Deno.readDirSync(NIX_STORE_DIR)) {
      if (/^[0-9a-z]{32}-[A-Za-z0-9+._?=-]+$/.test(e.name) && !e.name.endsWith(".drv")) {
        return `${NIX_STORE_DIR}/${e.name}`;
      }
    }
  } catch {
    // No store on this machine.
  }
  return undefined;
})();

Deno.test({
  name: storePath
    ? "gc --older-than keeps a Nix index entry read since, and drops one left unused"
    : "gc --older-than and Nix index hits (skipped: no path in /nix/store to point at)",
  ignore: storePath === undefined,
  async fn() {
    await using dir = await tempDir("rlm-nix-index-test-");
    const index = new NixIndex(dir.path);
    const [used, unused] = ["12".repeat(32), "34".repeat(32)];
    const long = new Date(Date.now() - 40 * DAY);
    for (const key of [used, unused]) {
      await index.write("op", key, storePath as string);
      await Deno.utime(index.entryPath("op", key), long, long);
    }
    assertEquals(await index.read("op", used), storePath);
    assertEquals(await gcNixIndex(dir.path, { olderThanDays: 30 }), 1);
    assertEquals(await index.read("op", used), storePath);
    assertEquals(await index.read("op", unused), undefined);
  },
});
