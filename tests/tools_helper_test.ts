import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { needRunning, needTools, skipUnless, which } from "./_tools.ts";

Deno.test("which finds a tool on PATH like the shell, and only executables", async () => {
  const shell = (await new Deno.Command("sh", { args: ["-c", "command -v sh"] }).output()).stdout;
  assertEquals(which("sh"), new TextDecoder().decode(shell).trim());
  assertEquals(which("rlm-no-such-tool"), undefined);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/plain`, "not executable", { mode: 0o644 });
    await Deno.writeTextFile(`${dir}/tool`, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    await Deno.mkdir(`${dir}/adir`);
    const old = Deno.env.get("PATH") ?? "";
    Deno.env.set("PATH", dir);
    try {
      assertEquals(which("plain"), undefined);
      assertEquals(which("adir"), undefined);
      assertEquals(which("tool"), `${dir}/tool`);
      assertEquals(needTools(["tool", "sh"], "install it"), "sh not on PATH; install it");
      assertEquals(needTools(["tool"]), undefined);
      assertMatch((await needRunning("tool", ["--version"])) ?? "", /^`tool --version` failed/);
    } finally {
      Deno.env.set("PATH", old);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skipUnless names the reason once and ignores the test", () => {
  assertEquals(skipUnless("nix executor", undefined), { name: "nix executor", ignore: false });
  const skipped = skipUnless("nix executor", "nix-build not on PATH");
  assertEquals(skipped, { name: "nix executor (skipped: nix-build not on PATH)", ignore: true });
  assert(!skipped.name.includes("\n"));
});
