/**
 * `rlm cache push --secret-key` / `rlm cache pull --trusted-key` against real Nix and a signed
 * `file://` binary cache, with keys made by `nix-store --generate-binary-cache-key`: a path
 * signed by the trusted key is pulled; an unsigned one, or one signed by another key, is refused
 * and does not enter the store; without `--trusted-key` the pull says signatures were not checked.
 */
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { runs } from "./_flake_fixture.ts";

const hasNix = await runs("nix-store", "--version");
const skip = hasNix ? "" : " (skipped: nix-store is not installed; apt-get install nix-bin)";
const NIX_CONFIG = "substituters =\nexperimental-features = nix-command";

async function sh(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, {
    args,
    env: { NIX_CONFIG },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout).trim(), stderr: text(out.stderr) };
}

/** A key pair in `dir`: the secret key file and the public key text. */
async function keyPair(dir: string, name: string): Promise<{ secret: string; pub: string }> {
  const secret = `${dir}/${name}.sec`;
  const r = await sh("nix-store", [
    "--generate-binary-cache-key",
    name,
    secret,
    `${dir}/${name}.pub`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  return { secret, pub: (await Deno.readTextFile(`${dir}/${name}.pub`)).trim() };
}

/** A new rlm result in the store (a unique op output), and a way to drop it again. */
async function newResult(dir: string) {
  const file = `${dir}/rlm-op-signed-cache-test-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(file, crypto.randomUUID());
  const added = await sh("nix-store", ["--add", file]);
  assertEquals(added.code, 0, added.stderr);
  return {
    path: added.stdout,
    valid: async () => (await sh("nix-store", ["--check-validity", added.stdout])).code === 0,
    drop: async () => {
      const r = await sh("nix-store", ["--delete", added.stdout]);
      assertEquals(r.code, 0, r.stderr);
    },
  };
}

Deno.test({
  name:
    `rlm cache pull --trusted-key takes only paths signed by that key from a file:// cache${skip}`,
  ignore: !hasNix,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "rlm-signed-cache-" });
    try {
      const ours = await keyPair(dir, "rlm-test-ours-1");
      const theirs = await keyPair(dir, "rlm-test-theirs-1");
      const result = await newResult(dir);
      const signed = `file://${dir}/signed`;
      const unsigned = `file://${dir}/unsigned`;
      // First a cache holding the path with no signature at all (the push below signs it).
      const copied = await sh("nix", ["copy", "--to", unsigned, result.path]);
      assertEquals(copied.code, 0, copied.stderr);
      assert(!/^Sig:/m.test(await findNarinfo(`${dir}/unsigned`, result.path)));
      const pushed = await runCli(["cache", "push", signed, "--secret-key", ours.secret]);
      assertEquals(pushed.code, 0, pushed.stderr);
      const narinfo = await findNarinfo(`${dir}/signed`, result.path);
      assertMatch(narinfo, /^Sig: rlm-test-ours-1:/m);
      await result.drop();

      const cacheDir = ["--cache-dir", `${dir}/cache`];
      for (
        const [src, key, why] of [[unsigned, ours.pub, "unsigned"], [
          signed,
          theirs.pub,
          "another key",
        ]]
      ) {
        const refused = await runCli(["cache", "pull", src, "--trusted-key", key, ...cacheDir]);
        assertEquals(refused.code, 1, `${why}: ${refused.stdout}${refused.stderr}`);
        assertMatch(refused.stderr, /^rlm: Cannot pull from file:\/\/.*signature/m, why);
        assertEquals(refused.stderr.trim().split("\n").length, 1, `one line: ${refused.stderr}`);
        assert(!(await result.valid()), `${why}: the path did not enter the store`);
      }

      const badKey = await runCli(["cache", "pull", signed, "--trusted-key", "nokey", ...cacheDir]);
      assertEquals(badKey.code, 2, badKey.stderr);
      assertMatch(badKey.stderr, /^rlm: Invalid --trusted-key "nokey": give a public key/);

      const pulled = await runCli([
        "cache",
        "pull",
        signed,
        "--trusted-key",
        ours.pub,
        ...cacheDir,
      ]);
      assertEquals(pulled.code, 0, pulled.stderr);
      assertMatch(pulled.stdout, /^pulled \d+ results from file:\/\//);
      assert(!pulled.stdout.includes("not checked"));
      assert(await result.valid(), "the signed path is in the store");

      await result.drop();
      const unchecked = await runCli(["cache", "pull", unsigned, ...cacheDir]);
      assertEquals(unchecked.code, 0, unchecked.stderr);
      assertMatch(unchecked.stdout, /signatures not checked: pass --trusted-key/);
      assert(await result.valid());
      await result.drop();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** The .narinfo of `storePath` in a file:// cache folder. */
async function findNarinfo(cacheDir: string, storePath: string): Promise<string> {
  const hash = storePath.split("/").pop()!.slice(0, 32);
  return await Deno.readTextFile(`${cacheDir}/${hash}.narinfo`);
}
