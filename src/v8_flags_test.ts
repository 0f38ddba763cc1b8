import { assert, assertEquals } from "../tests/_assert.ts";
import { V8_FLAGS, V8_FLAGS_ARG } from "./v8_flags.ts";
import { V8_FLAGS as BUILDER_V8_FLAGS } from "./exec/nix/_deno_builder.ts";

const root = new URL("../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

Deno.test("every deno.json task that starts Deno passes exactly V8_FLAGS", async () => {
  const tasks: Record<string, string> = JSON.parse(await read("deno.json")).tasks;
  const starting = Object.entries(tasks).filter(([, line]) => /\bdeno (run|test)\b/.test(line));
  const names = starting.map(([name]) => name);
  assert(names.includes("rlm") && names.includes("test"), `tasks that start Deno: ${names}`);
  for (const [name, line] of starting) {
    const given = line.split(/\s+/).filter((w) => w.startsWith("--v8-flags="));
    assertEquals(given, [V8_FLAGS_ARG], `task ${name}`);
  }
});

Deno.test("nix/checks.nix, the Nix op builders and the flake spell the same V8 flags", async () => {
  const checks = /v8Flags = "([^"]*)";/.exec(await read("nix/checks.nix"));
  assertEquals(checks?.[1], V8_FLAGS_ARG);
  assertEquals(BUILDER_V8_FLAGS, V8_FLAGS);
  // The flake's wrapper takes its flags from deno.json's rlm task (nix/package.nix); nothing in
  // the flake's Nix files spells other regex flags.
  const files = [
    "flake.nix",
    ...[...Deno.readDirSync(new URL("nix/", root))]
      .filter((e) => e.name.endsWith(".nix")).map((e) => `nix/${e.name}`),
  ];
  for (const file of files) {
    for (const m of (await read(file)).matchAll(/--v8-flags=[^"\s]*/g)) {
      assertEquals(m[0], V8_FLAGS_ARG, file);
    }
  }
  assert((await read("nix/package.nix")).includes("denoJson.tasks.rlm"));
});
