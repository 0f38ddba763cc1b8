/**
 * How benchmarks and tests start the CLI: exactly as `deno task rlm` does (flags read from
 * deno.json), after the step `deno task` takes first: caching the npm packages that deno.lock
 * pins, so the task's `--cached-only` finds them even in a new, empty DENO_DIR.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

let cached: Promise<void> | undefined;
/** Cache the locked npm packages once per process (`deno install`, quiet; ~15 ms when cached). */
function cacheDependencies(): Promise<void> {
  return cached ??= new Deno.Command(Deno.execPath(), {
    args: ["install", "--quiet"],
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output().then((out) => {
    if (!out.success) {
      const why = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
      throw new Error(`Cannot cache rlm's npm dependencies (deno install): ${why}`);
    }
  });
}

/** argv that runs `rlm <args>` the way `deno task rlm` does. */
export async function rlmArgv(args: string[]): Promise<string[]> {
  await cacheDependencies();
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const task: string = config.tasks.rlm;
  const words = task.split(/\s+/).filter((w) => w !== "");
  if (words[0] !== "deno") throw new Error(`Unexpected rlm task in deno.json: ${task}`);
  return [
    Deno.execPath(),
    ...words.slice(1).map((w) => (w === "main.ts" ? `${ROOT}main.ts` : w)),
    ...args,
  ];
}
