/**
 * Which outside tools a test can use, and how a test that needs a missing one is skipped: its
 * name ends with "(skipped: REASON)" and it is registered with `ignore`, so `deno test` lists it
 * as ignored with a one-line reason instead of failing or crashing at load.
 *
 * ```ts
 * Deno.test({
 *   ...skipUnless("nix executor", needTools(["nix-build", "nix-store"], "apt-get install nix-bin")),
 *   async fn() {},
 * });
 * // without Nix: "nix executor (skipped: nix-build not on PATH; apt-get install nix-bin)"
 * ```
 *
 * @module
 */

/** The absolute path of `tool` as the shell would find it on PATH, or undefined. */
export function which(tool: string): string | undefined {
  if (tool.includes("/")) return isExecutable(tool) ? tool : undefined;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    const path = `${dir || "."}/${tool}`;
    if (isExecutable(path)) return path;
  }
  return undefined;
}

/** Whether `path` is a regular file (after links) that someone may execute. */
function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Whether `path` exists (any kind of file). */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why these tools cannot be used (the first one missing from PATH, e.g. "nix-build not on PATH;
 * apt-get install nix-bin"), or undefined when all are there. `hint` says how to get them.
 */
export function needTools(tools: string[], hint?: string): string | undefined {
  const missing = tools.find((t) => which(t) === undefined);
  if (missing === undefined) return undefined;
  return `${missing} not on PATH${hint ? `; ${hint}` : ""}`;
}

/**
 * Why `cmd args...` cannot be used: it is not on PATH, or it does not exit 0 (a tool that is
 * installed but cannot run here, e.g. Nix without a writable store). Undefined when it runs.
 */
export async function needRunning(
  cmd: string,
  args: string[],
  hint?: string,
): Promise<string | undefined> {
  const missing = needTools([cmd], hint);
  if (missing) return missing;
  const failure = await runFailure(cmd, args);
  if (failure === undefined) return undefined;
  return `\`${[cmd, ...args].join(" ")}\` failed${failure ? `: ${failure}` : ""}${
    hint ? `; ${hint}` : ""
  }`;
}

/** Undefined when `cmd args...` exits 0, else the first line of its stderr (maybe ""). */
async function runFailure(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    })
      .output();
    if (out.success) return undefined;
    return (new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "").slice(0, 120);
  } catch (e) {
    return (e as Error).message.slice(0, 120);
  }
}

/** The first reason among several (each from {@link needTools} etc.), or undefined if none. */
export function firstReason(...reasons: (string | undefined)[]): string | undefined {
  return reasons.find((r) => r !== undefined);
}

/**
 * A test's name and `ignore` flag: `name` as is when `why` is undefined, else
 * "name (skipped: why)" and ignored. Spread it into a `Deno.test({...})` definition.
 */
export function skipUnless(
  name: string,
  why: string | undefined,
): { name: string; ignore: boolean } {
  return why === undefined
    ? { name, ignore: false }
    : { name: `${name} (skipped: ${why})`, ignore: true };
}

let nixWhy: Promise<string | undefined> | undefined;
/**
 * Why Nix cannot be used by the tests (its commands are missing, or its store cannot be opened,
 * e.g. as a user without a daemon), or undefined when it can. Probed once per test process.
 */
export function needNix(): Promise<string | undefined> {
  const hint = "apt-get install nix-bin busybox-static, as root";
  return nixWhy ??= (async () => {
    const missing = needTools(["nix-build", "nix-store", "nix-instantiate", "nix"], hint);
    if (missing) return missing;
    const failure = await runFailure("nix", [
      "--extra-experimental-features",
      "nix-command",
      "store",
      "ping",
    ]);
    if (failure !== undefined) {
      return `the Nix store cannot be opened (${failure || "nix store ping failed"}); run as root`;
    }
    return await buildUsersWhy();
  })();
}

/**
 * Why Nix cannot build here for want of its build users (the `build-users-group` it is configured
 * with does not exist: Debian's nix-bin makes none; tools/test_setup.sh makes them as root), or
 * undefined.
 */
async function buildUsersWhy(): Promise<string | undefined> {
  const config = await new Deno.Command("nix", {
    args: ["show-config", "--extra-experimental-features", "nix-command"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  const text = config?.success ? new TextDecoder().decode(config.stdout) : "";
  const group = /^build-users-group = (.*)$/m.exec(text)?.[1]?.trim();
  if (!group) return undefined;
  const groups = await Deno.readTextFile("/etc/group").catch(() => "");
  const line = groups.split("\n").find((l) => l.startsWith(`${group}:`));
  if (line !== undefined && line.split(":")[3]) return undefined;
  return `Nix's build-users-group "${group}" has no users here (tools/test_setup.sh makes them, as root)`;
}
