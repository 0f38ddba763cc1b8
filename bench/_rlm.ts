/**
 * How benchmarks start the CLI: exactly as `deno task rlm` does (flags read from deno.json).
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** argv that runs `rlm <args>` the way `deno task rlm` does. */
export async function rlmArgv(args: string[]): Promise<string[]> {
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
