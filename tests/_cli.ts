/**
 * Run the real CLI as a subprocess, exactly as `deno task rlm` does, for end-to-end tests.
 *
 * @module
 */
import { rlmArgv } from "../perf/_rlm.ts";

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number;
  /** Whether the run was killed at `killAfterMs` (its code is then the kill's). */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Run `rlm <args>`; `stdin` is piped in when given (else stdin is empty). With `killAfterMs`, a
 * run still going then is killed with SIGKILL: a safety limit, not a timing assertion.
 */
export async function runCli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string; killAfterMs?: number } =
    {},
): Promise<CliResult> {
  const [cmd, ...rest] = await rlmArgv(args);
  const child = new Deno.Command(cmd, {
    args: rest,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: options.cwd,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", ...options.env },
  }).spawn();
  let killed = false;
  const safety = options.killAfterMs === undefined ? undefined : setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, options.killAfterMs);
  const writer = child.stdin.getWriter();
  if (options.stdin !== undefined) await writer.write(new TextEncoder().encode(options.stdin));
  await writer.close();
  const out = await child.output();
  clearTimeout(safety);
  return {
    code: out.code,
    killed,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}
