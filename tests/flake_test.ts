/**
 * The flake, checked with this machine's Nix 2.8: every Nix file parses; nix/deno-deps.nix
 * refuses lockfiles it cannot serve; the npm cache it makes from deno.lock alone is fetched from
 * the npm registry and Deno runs offline on it; and the package is built through the real
 * flake.nix with a stand-in nixpkgs (`--override-input`) and run: `--version`, `exec` with the
 * nix executor by default, `eval` and `rlm run` through the python.wasm laid out as the flake
 * lays it out. Each test is skipped, with the reason, when Nix or busybox is missing.
 */
import { existsSync } from "node:fs";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import {
  copyProject,
  makeStandInNixpkgs,
  nixMissing,
  pythonWasmOverride,
  ROOT,
  run,
} from "./_flake_fixture.ts";
import { startScriptedServer, turnsSoFar } from "./fixtures/scripted_server.ts";
import { V8_FLAGS_ARG } from "../src/v8_flags.ts";

const skip = nixMissing ? ` (skipped: ${nixMissing})` : "";
const V8 = V8_FLAGS_ARG;
/** Any request that reaches the network fails at once: offline means offline. */
const NO_NET = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };

Deno.test({
  name: `every Nix file parses${skip}`,
  ignore: !!nixMissing,
  async fn() {
    const files = ["flake.nix", "nix/test-support/standin-nixpkgs.nix"];
    for (const e of Deno.readDirSync(`${ROOT}nix`)) {
      if (e.name.endsWith(".nix")) files.push(`nix/${e.name}`);
    }
    assert(files.length >= 9);
    for (const f of files) {
      const r = await run("nix-instantiate", ["--parse", `${ROOT}${f}`]);
      assertEquals(r.code, 0, `${f}: ${r.stderr}`);
    }
  },
});

Deno.test("flake.lock pins nixpkgs nixos-25.11 to a full revision with its narHash", async () => {
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}flake.lock`));
  assertEquals([lock.version, lock.root], [7, "root"]);
  const node = lock.nodes[lock.nodes.root.inputs.nixpkgs];
  assertMatch(node.locked.rev, /^[0-9a-f]{40}$/);
  assertMatch(node.locked.narHash, /^sha256-[A-Za-z0-9+/]{43}=$/);
  assert(Number.isInteger(node.locked.lastModified));
  const original = { owner: "NixOS", ref: "nixos-25.11", repo: "nixpkgs", type: "github" };
  assertEquals(node.original, original);
  const flake = await Deno.readTextFile(`${ROOT}flake.nix`);
  assert(flake.includes(`"github:NixOS/nixpkgs/nixos-25.11"`), "flake.nix and the lock agree");
});

/** Evaluate nix/deno-deps.nix on a lockfile; the error text, or "" when it evaluates. */
async function depsError(lock: unknown): Promise<string> {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/deno.lock`, JSON.stringify(lock));
  const expr = `(import ${ROOT}nix/deno-deps.nix { lockFile = ${dir.path}/deno.lock;
    runCommand = name: env: script: derivation (env // { inherit name script;
      system = "x86_64-linux"; builder = "/bin/sh"; }); }).drvPath`;
  const r = await run("nix-instantiate", ["--eval", "--expr", expr]);
  return r.code === 0 ? "" : r.stderr;
}

Deno.test({
  name: `nix/deno-deps.nix refuses, by name, what it cannot serve${skip}`,
  ignore: !!nixMissing,
  async fn() {
    const lock = JSON.parse(await Deno.readTextFile(`${ROOT}deno.lock`));
    assertEquals(await depsError(lock), "", "the project's own lock is served");
    const integrity = lock.npm["zod@4.6.7"].integrity;
    const cases: [string, unknown, RegExp][] = [
      ["version 4", { ...lock, version: "4" }, /lockfile version "4"/],
      ["JSR", { ...lock, jsr: { "@std/cli@1.0.0": { integrity } } }, /JSR packages \(@std\/cli/],
      ["remote", { ...lock, remote: { "https://x.test/a.ts": "00" } }, /remote http imports/],
      [
        "two peer sets",
        { ...lock, npm: { ...lock.npm, "zod@4.6.7_a@1": { integrity } } },
        /zod@4\.6\.7 is resolved with 2 peer-dependency sets/,
      ],
      [
        "another registry",
        { ...lock, npm: { ...lock.npm, "x@1.0.0": { integrity, tarball: "https://r.test/x" } } },
        /comes from https:\/\/r\.test\/x/,
      ],
      ["no integrity", { ...lock, npm: { ...lock.npm, "x@1.0.0": {} } }, /"x@1\.0\.0" has no/],
    ];
    for (const [what, bad, message] of cases) {
      const error = await depsError(bad);
      assertMatch(error, /nix\/deno-deps\.nix cannot serve/, what);
      assertMatch(error, message, what);
    }
  },
});

Deno.test({
  name:
    `Nix 2.8 fetches the npm cache from the registry by deno.lock's integrity; Deno runs on it offline, read-only${skip}`,
  ignore: !!nixMissing,
  async fn() {
    await using tmp = await tempDir();
    await makeStandInNixpkgs(`${tmp.path}/nixpkgs`);
    const stdenv = `(builtins.getFlake "path:${tmp.path}/nixpkgs").legacyPackages.x86_64-linux`;
    const expr = `import ${ROOT}nix/deno-deps.nix { lockFile = ${ROOT}deno.lock;
      inherit (${stdenv}) runCommand; }`;
    const drv = await run("nix-instantiate", ["--expr", expr]);
    assertEquals(drv.code, 0, drv.stderr);
    // One fixed-output fetch per lock entry, fetched from the registry now, so the bytes the
    // registry serves today are checked against the lock's integrity: a fetch whose output is
    // in the store already is fetched again (--check), the others for the first time.
    const lock = JSON.parse(await Deno.readTextFile(`${ROOT}deno.lock`));
    const fetches = (await run("nix-store", ["-q", "--references", drv.stdout.trim()])).stdout
      .split("\n").filter((p) => p.endsWith(".tgz.drv"));
    assertEquals(fetches.length, Object.keys(lock.npm).length);
    const outputs = (await run("nix-store", ["-q", "--outputs", ...fetches])).stdout.trim()
      .split("\n");
    const stored = fetches.filter((_, i) => existsSync(outputs[i]));
    const fresh = fetches.filter((_, i) => !existsSync(outputs[i]));
    for (const [args, paths] of [[["--check"], stored], [[], fresh]] as const) {
      if (paths.length === 0) continue;
      const fetched = await run("nix-store", ["--realise", ...args, ...paths]);
      assertEquals(fetched.code, 0, fetched.stderr);
    }
    const built = await run("nix-store", ["--realise", drv.stdout.trim()]);
    assertEquals(built.code, 0, built.stderr);
    const cache = built.stdout.trim();
    for (const key of Object.keys(lock.npm)) {
      const [, name, version] = /^(@?[^@]+)@([^_]+)/.exec(key)!;
      const pkg = JSON.parse(
        await Deno.readTextFile(`${cache}/npm/registry.npmjs.org/${name}/${version}/package.json`),
      );
      assertEquals([pkg.name, pkg.version], [name, version]);
    }
    // DENO_DIR is the store path itself: read-only, and no network.
    const env = { DENO_DIR: cache, DENO_NO_UPDATE_CHECK: "1", ...NO_NET };
    const deno = Deno.execPath();
    const checked = await run(
      deno,
      [
        "check",
        "--frozen",
        "--cached-only",
        "main.ts",
        "mod.ts",
        "src",
      ],
      env,
      { cwd: ROOT },
    );
    assertEquals(checked.code, 0, checked.stderr);
    const ran = await run(
      deno,
      [
        "run",
        "--frozen",
        "--cached-only",
        V8,
        "--allow-all",
        "main.ts",
        "exec",
        "docs/examples/errors.plan.json",
        "-c",
        "docs/examples/app.log",
      ],
      env,
      { cwd: ROOT },
    );
    assertEquals([ran.code, ran.stdout.trim()], [0, "25"], ran.stderr);
    for (const r of [checked, ran]) assert(!/Download/.test(r.stderr), r.stderr);
  },
});

Deno.test({
  name:
    `the real flake.nix with a stand-in nixpkgs builds rlm: --version, exec on the nix executor, eval and run on the flake's python.wasm${skip}`,
  ignore: !!nixMissing,
  async fn() {
    await using tmp = await tempDir();
    const t = tmp.path;
    await copyProject(`${t}/src`);
    const { wasmtime } = await makeStandInNixpkgs(`${t}/nixpkgs`);
    const py = await pythonWasmOverride(`${t}/python-wasm`);
    if (!py) await Deno.mkdir(`${t}/python-wasm`); // no python.wasm built: eval is not checked
    if (!py) await Deno.writeTextFile(`${t}/python-wasm/python.wasm`, "");
    const overrides = [
      "--no-write-lock-file",
      "--override-input",
      "nixpkgs",
      `path:${t}/nixpkgs`,
      "--override-input",
      "python-wasm",
      `path:${t}/python-wasm`,
    ];
    const build = async (attr: string) => {
      const r = await run("nix", [
        "build",
        "--no-link",
        "--json",
        `path:${t}/src#${attr}`,
        ...overrides,
      ]);
      assertEquals(r.code, 0, r.stderr);
      return JSON.parse(r.stdout)[0].outputs.out as string;
    };
    // fmt, lint and the type check run inside the Nix sandbox, offline, on the lock-driven cache.
    const checks = ["fmt", "lint", "check"].map((c) => `path:${t}/src#checks.x86_64-linux.${c}`);
    const checked = await run("nix", ["build", "--no-link", ...checks, ...overrides]);
    assertEquals(checked.code, 0, checked.stderr);
    // Every system's package and shell evaluate (the darwin and aarch64 Deno tarballs are
    // only instantiated, not fetched).
    for (const system of ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"]) {
      for (const attr of [`packages.${system}.rlm`, `devShells.${system}.default`]) {
        const r = await run("nix", [
          "eval",
          "--raw",
          `path:${t}/src#${attr}.drvPath`,
          ...overrides,
        ]);
        assertEquals(r.code, 0, `${attr}: ${r.stderr}`);
      }
    }
    // Without the flake, nix/default.nix fetches the release by its sha256: evaluating it
    // must not need the file (no import from derivation).
    const pkgs = `(builtins.getFlake "path:${t}/nixpkgs").legacyPackages.x86_64-linux`;
    const plain = await run("nix-instantiate", [
      "--expr",
      `(import ${t}/src/nix/default.nix { pkgs = ${pkgs}; src = ${t}/src; }).rlm`,
    ]);
    assertEquals(plain.code, 0, plain.stderr);
    const pyOut = await build("python-wasm");
    assert(Deno.statSync(`${pyOut}/python.wasm`).isFile);
    if (py) {
      assert([...Deno.readDirSync(`${pyOut}/lib`)].some((e) => /^python3\d+\.zip$/.test(e.name)));
    }
    const rlm = `${await build("rlm")}/bin/rlm`;
    assert(
      (await Deno.readTextFile(rlm)).includes(`${pyOut}/python.wasm`),
      "the default python.wasm",
    );

    // A user's environment: nothing of ours on PATH, an empty cache, no network but 127.0.0.1.
    const env = { HOME: t, XDG_CACHE_HOME: `${t}/cache`, PATH: "/usr/bin:/bin", ...NO_NET };
    const cli = (args: string[]) => run(rlm, args, env, { clearEnv: true });
    const version = await cli(["--version"]);
    assertEquals([version.code, version.stdout.trim()], [0, "0.1.0"], version.stderr);
    const denoDir = [...Deno.readDirSync(`${t}/cache/rlm/deno`)][0].name;
    assert(
      Deno.lstatSync(`${t}/cache/rlm/deno/${denoDir}/npm`).isSymlink,
      "the store's npm cache, linked",
    );
    const exec = await cli([
      "exec",
      `${ROOT}docs/examples/errors.plan.json`,
      "-c",
      `${ROOT}docs/examples/app.log`,
      "--json",
    ]);
    assertEquals(exec.code, 0, exec.stderr);
    assertEquals(JSON.parse(exec.stdout).value, "25");
    assert(
      Deno.statSync(`${t}/cache/rlm/nix/index`).isDirectory,
      "the nix executor is the default",
    );
    // The op derivations use the package's Deno where it is (with its closure): no copy of it
    // was added to the store (rlm remembers a copy as nix/deno-<fingerprint>.path).
    const copies = [...Deno.readDirSync(`${t}/cache/rlm/nix`)].filter((e) => /^deno-/.test(e.name));
    assertEquals(copies.map((e) => e.name), []);
    for (const r of [version, exec]) assert(!/Download/.test(r.stderr), r.stderr);
    if (!py) {
      return console.log("  (eval not checked: no python.wasm; run tools/build_python_wasm.sh)");
    }

    const plan = {
      operations: [{ op: "eval", args: { code: "import sys; print(sys.version_info[0])" } }],
    };
    await Deno.writeTextFile(`${t}/eval.json`, JSON.stringify(plan));
    const ev = await cli(["exec", `${t}/eval.json`, "-c", `${ROOT}docs/examples/app.log`]);
    assertEquals([ev.code, ev.stdout.trim()], [0, "3"], ev.stderr);

    await using server = startScriptedServer({
      reply: (r) =>
        turnsSoFar(r) === 0
          ? {
            content: JSON.stringify({
              mode: "commit",
              operations: [{ op: "eval", args: { code: "print(6 * 7)" }, bind: "x" }],
              output: "x",
            }),
          }
          : { content: '{"mode": "final", "answer_var": "x"}' },
    });
    const answered = await run(
      rlm,
      [
        "run",
        "-q",
        `What is six times seven? (${crypto.randomUUID()})`, // new: the store keeps model calls
        "-c",
        `${ROOT}docs/examples/app.log`,
        "--base-url",
        server.url,
      ],
      { ...env, OPENAI_API_KEY: "test", NO_PROXY: "127.0.0.1" },
      { clearEnv: true },
    );
    assertEquals([answered.code, answered.stdout.trim()], [0, "42"], answered.stderr);
    assertEquals(server.requests.length, 2);
    console.log(`  (eval had ${wasmtime ? "the wasmtime stand-in" : "no wasmtime"} on PATH)`);
  },
});

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "rlm-flake-test-" });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await new Deno.Command("chmod", { args: ["-R", "u+w", path] }).output();
      await Deno.remove(path, { recursive: true });
    },
  };
}
