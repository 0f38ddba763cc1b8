/**
 * What the flake tests share: whether Nix 2.8 and busybox are here, the Nix settings our
 * machines need, the project's tracked files copied to a folder (what a flake sees), and a
 * stand-in nixpkgs flake folder (nix/test-support/standin-nixpkgs.nix) made from this machine.
 *
 * @module
 */
import { wasmPythonPath, wasmtimeStandIn } from "./sandbox/_runtimes.ts";

export const ROOT = new URL("../", import.meta.url).pathname;

/** Substituters off (no DNS wait), the sandbox on, this machine's glibc inside it. */
export const NIX_CONFIG = "substituters =\nsandbox = true\n" +
  "experimental-features = nix-command flakes\n" +
  "extra-sandbox-paths = /lib64=/usr/lib64 /lib/x86_64-linux-gnu=/usr/lib/x86_64-linux-gnu";

/** Whether `cmd arg` runs and succeeds (a missing command is false, never a throw). */
export async function runs(cmd: string, arg: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args: [arg], stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** Why the Nix flake tests cannot run here, or "" when they can. */
export const nixMissing = !(await runs("nix-build", "--version"))
  ? "nix-build is not installed; apt-get install nix-bin"
  : !(await runs("busybox", "--help"))
  ? "busybox is not installed; apt-get install busybox-static"
  : Deno.build.os !== "linux" || Deno.build.arch !== "x86_64"
  ? "the stand-in nixpkgs is made for x86_64-linux"
  : "";

/** A finished command. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `cmd` with NIX_CONFIG and `env` added to this process's environment. */
export async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  options: { clearEnv?: boolean; cwd?: string } = {},
): Promise<Ran> {
  const out = await new Deno.Command(cmd, {
    args,
    env: { NIX_CONFIG, NO_COLOR: "1", RUST_BACKTRACE: "0", ...env },
    clearEnv: options.clearEnv,
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** Copy the project's files as a flake sees them (git's tracked and new files) to `dest`. */
export async function copyProject(dest: string): Promise<void> {
  await Deno.mkdir(dest, { recursive: true });
  const list = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {}, {
    cwd: ROOT,
  });
  if (list.code !== 0) throw new Error(`git ls-files failed: ${list.stderr}`);
  for (const f of list.stdout.split("\n").filter(Boolean)) {
    const info = await Deno.lstat(`${ROOT}${f}`).catch(() => undefined);
    if (!info?.isFile) continue; // deleted but still in the index
    await Deno.mkdir(`${dest}/${f}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.copyFile(`${ROOT}${f}`, `${dest}/${f}`);
  }
}

/**
 * The stand-in nixpkgs flake in `dir`: busybox and its applets, this machine's bash and Nix,
 * and wasmtime as the stand-in CLI on the real engine when it is installed (else an empty bin/).
 */
export async function makeStandInNixpkgs(
  dir: string,
  options: { wasmtime?: boolean } = {},
): Promise<{ wasmtime: boolean }> {
  for (const d of ["bin", "pkgs/bash/bin", "pkgs/nix/bin", "pkgs/wasmtime/bin"]) {
    await Deno.mkdir(`${dir}/${d}`, { recursive: true });
  }
  await Deno.copyFile(`${ROOT}nix/test-support/standin-nixpkgs.nix`, `${dir}/flake.nix`);
  await Deno.copyFile(Deno.realPathSync(await which("busybox")), `${dir}/bin/busybox`);
  const applets = [
    "sh",
    "mkdir",
    "cp",
    "cat",
    "chmod",
    "tar",
    "gzip",
    "rm",
    "mv",
    "ln",
    "touch",
    "mkfifo",
  ];
  for (const a of [...applets, "echo", "ls"]) await Deno.symlink("busybox", `${dir}/bin/${a}`);
  await Deno.copyFile("/bin/bash", `${dir}/pkgs/bash/bin/bash`);
  for (const c of ["nix", "nix-store", "nix-instantiate", "nix-build"]) {
    await Deno.symlink(await which(c), `${dir}/pkgs/nix/bin/${c}`);
  }
  const standIn = options.wasmtime === false ? {} : wasmtimeStandIn();
  if (standIn.dir) {
    await Deno.copyFile(`${standIn.dir}/wasmtime`, `${dir}/pkgs/wasmtime/bin/wasmtime`);
  }
  return { wasmtime: standIn.dir !== undefined };
}

/**
 * A python.wasm override laid out as tools/build_python_wasm.sh makes it (`python.wasm`,
 * `lib/python3XY.zip`), or undefined when none was built.
 */
export async function pythonWasmOverride(dir: string): Promise<string | undefined> {
  const wasm = wasmPythonPath();
  if (!wasm) return undefined;
  await Deno.mkdir(`${dir}/lib`, { recursive: true });
  await Deno.copyFile(wasm, `${dir}/python.wasm`);
  const lib = wasm.replace(/python\.wasm$/, "lib");
  for await (const e of Deno.readDir(lib)) {
    if (/^python3\d+\.zip$/.test(e.name)) {
      await Deno.copyFile(`${lib}/${e.name}`, `${dir}/lib/${e.name}`);
    }
  }
  return dir;
}

async function which(cmd: string): Promise<string> {
  const r = await run("sh", ["-c", `command -v ${cmd}`]);
  if (r.code !== 0) throw new Error(`${cmd} is not on PATH`);
  return r.stdout.trim();
}
