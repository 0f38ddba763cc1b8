/**
 * `rlm exec PLAN.json [-c FILE]...`: run a DSL plan without the root model (SPEC §4).
 *
 * @module
 */
import { Command, Option } from "commander";
import { readContexts } from "../exec/context_files.ts";
import { parsePlan } from "../exec/parse_plan.ts";
import { runPlan } from "../exec/run_plan.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Value } from "../protocol/value.ts";
import { fromEnv, openRuntime } from "./_runtime.ts";

/** Options `rlm exec` takes. */
interface ExecFlags {
  context?: string[];
  executor?: string;
  cacheDir?: string;
  cache: boolean;
  json?: boolean;
}

/** The `exec` command. */
export function execCommand(): Command {
  return new Command("exec")
    .description(
      "run a DSL plan (a commit step without mode) on the context, without the root model",
    )
    .argument("<plan>", 'plan file: JSON {"operations": [...], "output": "name"}')
    .option(
      "-c, --context <file>",
      "context file; repeatable; - is stdin (default: stdin)",
      collect,
    )
    .addOption(
      new Option(
        "--executor <name>",
        "where pure ops run: local or nix [RLM_EXECUTOR] (default: local)",
      ),
    )
    .option("--cache-dir <dir>", "cache location [RLM_CACHE_DIR] (default: $XDG_CACHE_HOME/rlm)")
    .option("--no-cache", "neither read nor write any cache")
    .option("--json", "print {output, value, ops} as JSON instead of the bare value")
    .action(async (planPath: string, flags: ExecFlags) => {
      const plan = parsePlan(await readPlanFile(planPath));
      const env = await readContexts(flags.context ?? [], {
        stdinIsTerminal: Deno.stdin.isTerminal(),
      });
      await using runtime = await openRuntime({
        executor: fromEnv(flags.executor, "RLM_EXECUTOR") ?? "local",
        cacheDir: fromEnv(flags.cacheDir, "RLM_CACHE_DIR"),
        cache: flags.cache,
      });
      let cached = 0;
      const { output, binding } = await runPlan(plan, env, {
        executor: runtime.executor,
        onOp: (e) => {
          if (e.phase === "end" && e.cached) cached++;
        },
      });
      if (flags.json) {
        console.log(
          JSON.stringify({ output, value: binding.value, ops: plan.operations.length, cached }),
        );
      } else {
        console.log(render(binding.value));
      }
    });
}

/** A text prints as-is, a list as a JSON array. */
function render(value: Value): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

async function readPlanFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new UsageError(`Cannot read plan file "${path}": ${describeFsError(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Plan file "${path}" is not valid JSON: ${reason}`);
  }
}

function describeFsError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  return error instanceof Error ? error.message : String(error);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
