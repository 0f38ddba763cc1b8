/**
 * The flake and its Nix files, checked as far as Nix 2.8 without nixpkgs allows: every file
 * parses, the lock is well formed, the flake's outputs have the expected shape, and
 * `nix/package.nix` is built with stand-ins made from this machine and its wrapper run for real.
 */
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { wasmPythonPath } from "./sandbox/_runtimes.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const hasNix = await new Deno.Command("nix-instantiate", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);
const skip = hasNix ? "" : " (skipped: nix-instantiate is not installed; apt-get install nix-bin)";
const NIX_CONFIG = "substituters =\nsandbox = true\nexperimental-features = nix-command\n" +
  "extra-sandbox-paths = /lib64=/usr/lib64 /lib/x86_64-linux-gnu=/usr/lib/x86_64-linux-gnu";

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    env: { NIX_CONFIG, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test({
  name: `every Nix file parses${skip}`,
  ignore: !hasNix,
  async fn() {
    const files = [
      "flake.nix",
      ...[...Deno.readDirSync(`${ROOT}nix`)].map((e) => `nix/${e.name}`).filter((f) =>
        f.endsWith(".nix")
      ),
    ];
    assert(files.length >= 6);
    for (const f of files) {
      const r = await run("nix-instantiate", ["--parse", `${ROOT}${f}`]);
      assertEquals(r.code, 0, `${f}: ${r.stderr}`);
    }
  },
});

Deno.test("flake.lock pins nixpkgs to a full revision with its narHash", async () => {
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}flake.lock`));
  assertEquals(lock.version, 7);
  assertEquals(lock.root, "root");
  const name = lock.nodes.root.inputs.nixpkgs;
  const node = lock.nodes[name];
  assertMatch(node.locked.rev, /^[0-9a-f]{40}$/);
  assertMatch(node.locked.narHash, /^sha256-[A-Za-z0-9+/]{43}=$/);
  assert(Number.isInteger(node.locked.lastModified));
  assertEquals(node.original, {
    owner: "nixos",
    ref: "nixos-25.05",
    repo: "nixpkgs",
    type: "github",
  });
});

Deno.test({
  name: `the flake's outputs have the expected shape for every system${skip}`,
  ignore: !hasNix,
  async fn() {
    // nixpkgs stood in by the few attributes the flake touches; nothing is built.
    const expr = `
      let
        flake = import ${ROOT}flake.nix;
        fakePkgs = system: { inherit system; callPackage = f: args: { fake = f; }; nixpkgs-fmt = { fake = true; };
          runCommand = null; deno = null; wasmtime = null; bash = null; nix = null; };
        nixpkgs = { lib.genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
          legacyPackages = builtins.listToAttrs (map (s: { name = s; value = fakePkgs s; })
            [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ]); };
        self = outputs // { outPath = ${ROOT}.; };
        outputs = flake.outputs { inherit self nixpkgs; };
      in builtins.mapAttrs (_: perSystem: builtins.mapAttrs (_: v: if builtins.isAttrs v then builtins.attrNames v else "x") perSystem)
        (removeAttrs outputs [ ])`;
    const r = await run("nix-instantiate", ["--eval", "--strict", "--json", "--expr", expr]);
    assertEquals(r.code, 0, r.stderr);
    const shape = JSON.parse(r.stdout);
    for (const system of ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"]) {
      assertEquals(shape.packages[system], ["default", "python-wasm", "rlm"]);
      assertEquals(shape.apps[system], ["default", "rlm"]);
      assertEquals(shape.devShells[system], ["default"]);
      assert(shape.checks[system] !== undefined && shape.formatter[system] !== undefined);
    }
  },
});

Deno.test({
  name:
    `nix/package.nix builds with stand-ins, and its wrapper runs rlm with the nix executor by default${skip}`,
  ignore: !hasNix,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "rlm-flake-test-" });
    try {
      const add = async (path: string) => {
        const r = await run("nix-store", ["--add", path]);
        assertEquals(r.code, 0, r.stderr);
        return r.stdout.trim();
      };
      // deno, bash, wasmtime (unused by rlm: an empty bin/), nix (this machine's commands).
      const mk = async (name: string, files: Record<string, string | { link: string }>) => {
        const dir = `${tmp}/${name}`;
        await Deno.mkdir(`${dir}/bin`, { recursive: true });
        for (const [f, v] of Object.entries(files)) {
          if (typeof v === "string") await Deno.copyFile(v, `${dir}/bin/${f}`);
          else await Deno.symlink(v.link, `${dir}/bin/${f}`);
        }
        return await add(dir);
      };
      const deno = await mk("deno", { deno: Deno.execPath() });
      const bash = await mk("bash", { bash: "/bin/bash" });
      const wasmtime = await mk("wasmtime", {});
      const nix = await mk(
        "nix",
        Object.fromEntries(
          ["nix", "nix-store", "nix-instantiate", "nix-build"].map((
            c,
          ) => [c, { link: `/usr/bin/${c}` }]),
        ),
      );
      // busybox with its applets as relative links, so the builder needs nothing outside its path.
      const appletNames = ["sh", "mkdir", "cp", "cat", "chmod", "basename", "rm", "mv", "dirname"];
      const applets = await mk("applets", {
        busybox: "/bin/busybox",
        ...Object.fromEntries(appletNames.map((a) => [a, { link: "busybox" }])),
      });
      // The vendored npm dependencies, made exactly as nix/deno-deps.nix makes them.
      const denoDir = `${tmp}/rlm-deno-deps`;
      const cache = await run(
        Deno.execPath(),
        [
          "cache",
          "--lock=deno.lock",
          "main.ts",
          "mod.ts",
          "src/sandbox/pyodide_runner.ts",
          "src/sandbox/wasi_runner.ts",
        ].map((a, i) => (i > 1 && !a.startsWith("--") ? `${ROOT}${a}` : a)),
        { DENO_DIR: denoDir },
      );
      assertEquals(cache.code, 0, cache.stderr);
      for await (const _ of walkRemove(denoDir)) { /* drop registry.json and build caches */ }
      const denoDeps = await add(denoDir);
      const src = `${tmp}/src`;
      await Deno.mkdir(src);
      for (const f of ["deno.json", "deno.lock", "main.ts", "mod.ts"]) {
        await Deno.copyFile(`${ROOT}${f}`, `${src}/${f}`);
      }
      await new Deno.Command("cp", { args: ["-r", `${ROOT}src`, `${src}/src`] }).output();
      const srcPath = await add(src);
      const wasm = wasmPythonPath();
      const py = `${tmp}/python-wasm`;
      await Deno.mkdir(`${py}/lib`, { recursive: true });
      if (wasm) {
        await Deno.copyFile(wasm, `${py}/python.wasm`);
        await Deno.copyFile(
          wasm.replace(/python\.wasm$/, "lib/python311.zip"),
          `${py}/lib/python311.zip`,
        );
      }
      const pythonWasm = await add(py);

      const sp = (p: string) => `builtins.storePath "${p}"`;
      const expr = `import ${ROOT}nix/package.nix {
        runCommand = name: env: script: derivation ((removeAttrs env [ "meta" ]) // {
          inherit name; system = builtins.currentSystem; builder = "\${${sp(applets)}}/bin/busybox";
          args = [ "sh" "-c" script ]; PATH = "\${${sp(applets)}}/bin"; });
        deno = ${sp(deno)}; bash = ${sp(bash)}; wasmtime = ${sp(wasmtime)}; nix = ${sp(nix)};
        denoDeps = ${sp(denoDeps)}; pythonWasm = ${sp(pythonWasm)}; src = ${sp(srcPath)};
      }`;
      const build = await run("nix-build", ["--no-out-link", "--expr", expr]);
      assertEquals(build.code, 0, build.stderr);
      const rlm = `${build.stdout.trim()}/bin/rlm`;
      const env = { HOME: tmp, XDG_CACHE_HOME: `${tmp}/cache`, PATH: "/usr/bin:/bin" };
      const version = await run(rlm, ["--version"], env);
      assertEquals(version.stdout.trim(), "0.1.0", version.stderr);
      const exec = await run(rlm, [
        "exec",
        `${ROOT}docs/examples/errors.plan.json`,
        "-c",
        `${ROOT}docs/examples/app.log`,
        "--json",
      ], env);
      assertEquals(exec.code, 0, exec.stderr);
      assertEquals(JSON.parse(exec.stdout).value, "25");
      assert(
        Deno.statSync(`${tmp}/cache/rlm/nix/index`).isDirectory,
        "the nix executor is the default",
      );
      if (wasm) {
        await Deno.writeTextFile(
          `${tmp}/eval.json`,
          JSON.stringify({
            operations: [{ op: "eval", args: { code: "import sys; print(sys.version_info[0])" } }],
          }),
        );
        const ev = await run(rlm, [
          "exec",
          `${tmp}/eval.json`,
          "-c",
          `${ROOT}docs/examples/app.log`,
        ], env);
        assertEquals(ev.stdout.trim(), "3", ev.stderr);
      }
    } finally {
      await new Deno.Command("chmod", { args: ["-R", "u+w", tmp] }).output();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** Remove what nix/deno-deps.nix removes from a fresh DENO_DIR. */
async function* walkRemove(dir: string): AsyncGenerator<void> {
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (
      e.name === "registry.json" || e.name === "gen" || /_cache_v\d+/.test(e.name) ||
      e.name.endsWith(".lock")
    ) {
      await Deno.remove(p, { recursive: true });
    } else if (e.isDirectory) yield* walkRemove(p);
  }
  yield;
}
