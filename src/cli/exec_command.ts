/**
 * `rlm exec PLAN.json [-c FILE]...`: run a DSL plan without the root model (docs/reference/cli.md).
 *
 * @module
 */
import { Command, Option } from "commander";
import { readContexts } from "../exec/context_files.ts";
import { MAX_CONTEXT_BYTES_HELP, maxContextBytes } from "./_context_flags.ts";
import { parsePlan } from "../exec/parse_plan.ts";
import { runPlan } from "../exec/run_plan.ts";
import { Budget } from "../loop/budget.ts";
import { planSubCalls } from "../loop/plan_sub_calls.ts";
import { isSubCall } from "../ops/is_sub_call.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Value } from "../protocol/value.ts";
import { DEFAULTS } from "../loop/defaults.ts";
import {
  baseUrlFlag,
  callLimits,
  checkPortFlags,
  collect,
  depthFlag,
  modelFlag,
} from "./_flags.ts";
import { openPorts, portChoices, withEvalOptions } from "./_ports.ts";
import { printText } from "./_print.ts";

/** Options `rlm exec` takes. */
interface ExecFlags {
  context?: string[];
  executor?: string;
  cacheDir?: string;
  cache: boolean;
  json?: boolean;
  model?: string;
  baseUrl?: string;
  maxDepth?: string;
  maxParallel?: string;
  maxChildChars?: string;
  maxContextBytes?: string;
  maxCost?: string;
  maxLlmCalls?: string;
  timeout?: string;
  evalTimeout?: string;
  evalMemory?: string;
  evalMaxOutput?: string;
  eval: boolean;
  wasmPython?: string;
}

/** The `exec` command. */
export function execCommand(): Command {
  return withEvalOptions(
    new Command("exec")
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
      .option("--json", "print {output, value, ops, cached} as JSON instead of the bare value")
      .option(
        "-m, --model <name>",
        `model for sub-call ops (map, rlm_call, prompt combine) [RLM_MODEL] (default: ${DEFAULTS.model})`,
      )
      .option(
        "--base-url <url>",
        "OpenAI-compatible endpoint for sub-calls; gets only OPENAI_API_KEY (default: the provider's)",
      )
      .option(
        "--max-depth <n>",
        `sub-call depth: 1 direct calls, 2+ recursive [RLM_MAX_DEPTH] (default: ${DEFAULTS.maxDepth})`,
      )
      .option(
        "--max-parallel <n>",
        `model calls in flight [RLM_MAX_PARALLEL] (default: ${DEFAULTS.maxParallel})`,
      )
      .option(
        "--max-child-chars <n>",
        `largest context of a direct sub-call (default: ${DEFAULTS.maxChildChars})`,
      )
      .option("--max-context-bytes <n>", MAX_CONTEXT_BYTES_HELP)
      .option("--max-cost <usd>", "stop when sub-calls have cost this much")
      .option("--max-llm-calls <n>", "stop after this many model calls")
      .option("--timeout <sec>", "stop after this many seconds")
      .action(async (planPath: string, flags: ExecFlags) => {
        // Every flag is checked before the plan, the context or the ports are touched.
        const model = modelFlag(flags.model, "--model", "RLM_MODEL") ?? DEFAULTS.model;
        const baseUrl = baseUrlFlag(flags.baseUrl);
        const maxDepth = depthFlag(flags.maxDepth, 1);
        const limits = callLimits(flags);
        await checkPortFlags(flags);
        const choices = portChoices(flags);
        const plan = parsePlan(await readPlanFile(planPath));
        const env = await readContexts(flags.context ?? [], {
          maxContextBytes: maxContextBytes(flags.maxContextBytes),
          stdinIsTerminal: Deno.stdin.isTerminal(),
        });
        // Sub-call ops need a model; a plan of pure ops never touches one.
        const needsModel = plan.operations.some(isSubCall);
        const ports = await openPorts(choices, {
          models: needsModel ? [model] : [],
          baseUrl,
        });
        let cached = 0;
        const sub = ports.modelPort
          ? planSubCalls({
            model,
            baseUrl,
            maxDepth,
            ...limits,
            modelPort: ports.modelPort,
            store: ports.store,
            executor: ports.executor,
            sandbox: ports.sandbox,
          })
          : undefined;
        // --timeout bounds a plan of pure ops too.
        const budget = sub?.budget ?? new Budget({ timeoutMs: limits.timeoutMs });
        let result;
        try {
          result = await runPlan(plan, env, {
            executor: ports.executor,
            ports: { subCall: sub?.port },
            signal: budget.controller.signal,
            onOp: (e) => {
              if (e.phase === "end" && e.cached) cached++;
            },
          });
        } catch (error) {
          throw budget.exceeded ?? error;
        } finally {
          budget.dispose();
        }
        const { output, binding } = result;
        if (flags.json) {
          console.log(
            JSON.stringify({ output, value: binding.value, ops: plan.operations.length, cached }),
          );
        } else {
          printText(render(binding.value));
        }
      }),
  );
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
