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
  const why = needTools([cmd], hint);
  if (why) return why;
  const out = await new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .output().catch((e: Error) => ({
      success: false,
      stderr: new TextEncoder().encode(e.message),
    }));
  if (out.success) return undefined;
  const first = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? "";
  return `\`${[cmd, ...args].join(" ")}\` failed${first ? `: ${first.slice(0, 120)}` : ""}${
    hint ? `; ${hint}` : ""
  }`;
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
  return nixWhy ??=
    (async () =>
      needTools(["nix-build", "nix-store", "nix-instantiate", "nix"], hint) ??
        await needRunning(
          "nix",
          ["--extra-experimental-features", "nix-command", "store", "ping"],
          hint,
        ))();
}
