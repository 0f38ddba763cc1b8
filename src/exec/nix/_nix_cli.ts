/**
 * Running Nix commands: a fixed, machine-independent configuration (no substituters unless
 * asked, sandboxed builds with the host's glibc visible for the dynamically linked Deno), and
 * errors that say what to do.
 *
 * @module
 */

/** The Nix settings rlm's invocations use, whatever the machine's nix.conf says. */
function nixConfig(extra: string[] = []): string {
  return [
    "substituters =",
    "sandbox = true",
    // The Deno binary used as builder is dynamically linked against the host's glibc. Optional
    // (`?`): a host without these folders (NixOS) would otherwise fail every build.
    "extra-sandbox-paths = /lib64=/usr/lib64? /lib/x86_64-linux-gnu=/usr/lib/x86_64-linux-gnu?",
    "experimental-features = nix-command",
    "warn-dirty = false",
    ...extra,
  ].join("\n");
}

/** The result of a Nix command. */
export interface NixResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a Nix command; a missing Nix is a clear error. */
export async function nix(
  command: string,
  args: string[],
  options: { stdin?: string; config?: string[] } = {},
): Promise<NixResult> {
  let child;
  try {
    child = new Deno.Command(command, {
      args,
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      env: { NIX_CONFIG: nixConfig(options.config) },
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `The nix executor needs Nix (${command} was not found): install it (Debian: apt-get install nix-bin) or use --executor local`,
      );
    }
    throw error;
  }
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Run a Nix command and return its stdout, or throw with the stderr tail. */
export async function nixOk(
  command: string,
  args: string[],
  what: string,
  options: { config?: string[] } = {},
): Promise<string> {
  const r = await nix(command, args, options);
  if (r.code !== 0) throw new Error(`${what} failed: ${tail(r.stderr)}`);
  return r.stdout;
}

/** The last lines of a command's stderr, on one line. */
export function tail(stderr: string, lines = 4): string {
  return stderr.trim().split("\n").filter((l) => l.trim() !== "").slice(-lines).join(" | ") ||
    "no output";
}

/** A Nix string literal. */
export function nixString(s: string): string {
  return `"${
    s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$\{/g, "\\${").replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r").replace(/\t/g, "\\t")
  }"`;
}
