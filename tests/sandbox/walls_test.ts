/**
 * The walls under Python, each tested on its own as if every layer above it had fallen: the
 * child's Deno permissions (JavaScript that tries every host API), its OS memory limit, the
 * host's bounds on what a child prints, long timers, how a child's death is classified, and the
 * files the sandbox shares with the host (the pinned import map, the snapshot cache, $TMPDIR).
 *
 * @module
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { runCli } from "../_cli.ts";
import { type ChildCommand, runChild } from "../../src/sandbox/_child.ts";
import {
  CHILD_IMPORT_MAP,
  childArgs,
  childDataLimitBytes,
  denoCommand,
  PROJECT_LOCK,
} from "../../src/sandbox/_deno_child.ts";
import { longTimeout } from "../../src/sandbox/_long_timeout.ts";
import { loadSnapshot } from "../../src/sandbox/_pyodide_snapshot.ts";
import { dirname, fromFileUrl } from "../../src/sandbox/_paths.ts";
import { createPyodideSandbox } from "../../src/sandbox/pyodide_sandbox.ts";
import { SandboxExceptionError, SandboxRuntimeError } from "../../src/protocol/sandbox_errors.ts";
import { checkSandboxLimits, sandboxLimits } from "../../src/sandbox/sandbox_limits.ts";
import { SANDBOX_READY } from "../../src/protocol/sandbox.ts";
import { tempDir } from "../_temp_dir.ts";

const LIMITS = { timeoutMs: 10_000, memoryMb: 128, maxOutputBytes: 4096 };

/** JavaScript run as a sandbox child: every host API it tries must be refused. */
const ATTACKS = String.raw`
const results = {};
const tryIt = async (name, f) => {
  try { await f(); results[name] = "allowed"; } catch (e) { results[name] = String(e).slice(0, 80); }
};
await tryIt("read", () => Deno.readTextFileSync("/etc/hostname"));
await tryIt("write", () => Deno.writeTextFileSync("/tmp/rlm-walls-pwned", "x"));
await tryIt("env", () => Deno.env.get("HOME"));
await tryIt("run", () => new Deno.Command("/bin/true").outputSync());
await tryIt("net", () => Deno.connect({ hostname: "127.0.0.1", port: 9 }));
await tryIt("fetch", () => fetch("http://127.0.0.1:8081/"));
await tryIt("ffi", () => Deno.dlopen("libc.so.6", {}));
await tryIt("sys", () => Deno.hostname());
// Specifiers built at run time: Deno resolves literal ones before the script runs.
const url = (...parts) => parts.join("");
await tryIt("import default host", () => import(url("https://", "esm.sh/x@1.0.0")));
await tryIt("import jsr", () => import(url("https://", "jsr.io/@std/x/1.0.0/mod.ts")));
await tryIt("node:fs read", async () => (await import(url("node:", "fs"))).readFileSync("/etc/hostname"));
await tryIt("node:child_process", async () => (await import(url("node:", "child_process"))).execSync("/bin/true"));
for (const host of ["deno.land", "jsr.io", "esm.sh", "cdn.jsdelivr.net", "raw.githubusercontent.com"]) {
  results["query import " + host] = Deno.permissions.querySync({ name: "import", host }).state;
}
console.log(JSON.stringify(results));
`;

Deno.test("the child's permissions: read only what it names, every other permission denied", async () => {
  await using dir = await tempDir("rlm-walls-");
  const script = `${dir.path}/attack.mjs`;
  await Deno.writeTextFile(script, ATTACKS);
  const args = childArgs(script, [script], 128, []);
  for (const flag of ["--no-remote", "--cached-only", "--frozen", "--no-prompt", "--no-config"]) {
    assert(args.includes(flag), flag);
  }
  assert(args.includes(`--lock=${PROJECT_LOCK}`));
  for (const p of ["net", "env", "run", "ffi", "sys", "write", "import"]) {
    assert(args.includes(`--deny-${p}`), p);
  }
  assertEquals(args.filter((a) => a.startsWith("--allow-")), [`--allow-read=${script}`]);
  const { program, args: all, env } = denoCommand(args, 128);
  const out = await new Deno.Command(program, { args: all, env, clearEnv: true }).output();
  const results = JSON.parse(new TextDecoder().decode(out.stdout));
  for (const [name, state] of Object.entries(results)) {
    if (name.startsWith("query")) assertEquals(state, "denied", name);
    else {assert(
        state !== "allowed" &&
          /NotCapable|PermissionDenied|Requires|denied|lockfile is out of date/i.test(
            String(state),
          ),
        `${name}: ${state}`,
      );}
  }
  assert(!(await exists("/tmp/rlm-walls-pwned")));
});

Deno.test("the child's import map is the project's pinned imports, resolved by the lockfile", async () => {
  const map = JSON.parse(await Deno.readTextFile(CHILD_IMPORT_MAP)).imports;
  const project = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .imports;
  const lock = JSON.parse(await Deno.readTextFile(PROJECT_LOCK));
  for (const [name, specifier] of Object.entries(map)) {
    assertEquals(specifier, project[name], name);
    const locked = Object.keys(lock.specifiers).some((s) =>
      s.startsWith(`npm:${name}@`) || s === specifier
    );
    assert(locked, `${specifier} is in deno.lock`);
  }
});

Deno.test("the OS caps the whole child's memory, not only Wasm memory", async () => {
  await using dir = await tempDir("rlm-walls-");
  const script = `${dir.path}/grow.mjs`;
  // 100 MB ArrayBuffers, touched: outside V8's heap and outside Wasm memory.
  await Deno.writeTextFile(
    script,
    "const a = []; try { for (let i = 0; i < 60; i++) { a.push(new Uint8Array(100 << 20).fill(1)); } } catch {} console.log(a.length);",
  );
  const { program, args, env } = denoCommand(childArgs(script, [script], 128, []), 128);
  const out = await new Deno.Command(program, { args, env, clearEnv: true, stderr: "null" })
    .output();
  const grown = Number(new TextDecoder().decode(out.stdout).trim() || "0") * 100 * 2 ** 20;
  // It did run, and it stopped at the OS limit (without it: all 6 GB).
  assert(grown > 0 && grown < childDataLimitBytes(128), `grew ${grown} bytes`);
});

/** A fake sandbox child: a shell script that says it is ready, then does `body`. */
function fakeChild(body: string): ChildCommand {
  return {
    program: "/bin/sh",
    args: ["-c", `echo ${SANDBOX_READY}; cat > /dev/null; ${body}`],
    env: {},
  };
}
const REQUEST = { code: "", vars: {}, maxOutputBytes: 4096 };

Deno.test("700 MB on a child's stderr is read and dropped, not held", async () => {
  const ok = `echo '{"ok":true,"output":"fine"}'`;
  const flood = fakeChild(`head -c 700000000 /dev/zero >&2; ${ok}`);
  assertEquals(await runChild(flood, REQUEST, LIMITS), "fine");
});

Deno.test("a child that dies before it is ready is a broken sandbox; after, the code's fault", async () => {
  const before: ChildCommand = {
    program: "/bin/sh",
    args: ["-c", "echo boom >&2; exit 3"],
    env: {},
  };
  const e = await assertRejects(() => runChild(before, REQUEST, LIMITS), SandboxRuntimeError);
  assertMatch(e.message, /failed to start \(exit 3\): boom/);
  const after = fakeChild("kill -9 $$");
  const e2 = await assertRejects(() => runChild(after, REQUEST, LIMITS), SandboxExceptionError);
  assertMatch(e2.message, /the code ended the sandbox process \(exit 137|SIGKILL/);
});

Deno.test("a timeout past setTimeout's 2^31 - 1 ms does not fire at once", async () => {
  let fired = false;
  const timer = longTimeout(() => fired = true, 3_000_000_000);
  await new Promise((r) => setTimeout(r, 50));
  timer.clear();
  assert(!fired);
  const slow = fakeChild(`sleep 0.2; echo '{"ok":true,"output":"waited"}'`);
  assertEquals(await runChild(slow, REQUEST, { ...LIMITS, timeoutMs: 3_000_000_000 }), "waited");
  assertEquals(sandboxLimits({ timeout: "3000000" }).timeoutMs, 3_000_000_000);
  for (const bad of [{ ...LIMITS, timeoutMs: NaN }, { ...LIMITS, memoryMb: 5000 }]) {
    let threw = false;
    try {
      checkSandboxLimits(bad);
    } catch (error) {
      threw = error instanceof RangeError;
    }
    assert(threw, JSON.stringify(bad));
  }
});

Deno.test("a truncated snapshot in the cache is rebuilt, not fatal", async () => {
  await using dir = await tempDir("rlm-walls-");
  const runner = fromFileUrl(new URL("../../src/sandbox/pyodide_runner.ts", import.meta.url));
  const pyodideDir = dirname(fromFileUrl(import.meta.resolve("pyodide")));
  const source = { runner, pyodideDir, version: "314.0.7", dir: dir.path };
  const first = await loadSnapshot(source);
  const path = `${dir.path}/pyodide-314.0.7.snapshot`;
  await Deno.writeFile(path, first.slice(0, 1000));
  const sandbox = createPyodideSandbox({ ...LIMITS, snapshotDir: dir.path });
  assertEquals(await sandbox.run("print(6 * 7)", {}), "42\n");
  assertEquals((await Deno.stat(path)).size, first.length);
});

Deno.test("an eval run with --no-cache leaves nothing in $TMPDIR", async () => {
  await using dir = await tempDir("rlm-walls-");
  const tmp = `${dir.path}/tmp`;
  await Deno.mkdir(tmp);
  await Deno.writeTextFile(
    `${dir.path}/plan.json`,
    JSON.stringify({ operations: [{ op: "eval", args: { code: "result = context.upper()" } }] }),
  );
  await Deno.writeTextFile(`${dir.path}/ctx.txt`, "abc");
  const run = await runCli(
    ["exec", `${dir.path}/plan.json`, "-c", `${dir.path}/ctx.txt`, "--no-cache"],
    { env: { TMPDIR: tmp } },
  );
  assertEquals([run.code, run.stdout], [0, "ABC\n"], run.stderr);
  assertEquals([...Deno.readDirSync(tmp)].map((e) => e.name), []);
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
