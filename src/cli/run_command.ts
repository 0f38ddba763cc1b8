/**
 * `rlm run -q QUERY [-c FILE]...`: answer a question about the context (docs/reference/cli.md).
 *
 * @module
 */
import { Command } from "commander";
import { readContexts } from "../exec/context_files.ts";
import { MAX_CONTEXT_BYTES_HELP, maxContextBytes } from "./_context_flags.ts";
import { rlm, type RlmResult } from "../loop/rlm.ts";
import { BudgetExceededError, UsageError } from "../protocol/errors.ts";
import type { Trace } from "../protocol/trace.ts";
import { defaultTracePath, writeTrace } from "../trace/write_trace.ts";
import { progressPrinter } from "./_progress.ts";
import {
  baseUrlFlag,
  callLimits,
  checkRuntimeFlags,
  collect,
  depthFlag,
  fromEnvNamed,
  intFlag,
  MAX_STEPS,
  modelFlag,
} from "./_flags.ts";
import { openRuntime, runtimeOptions, withEvalOptions } from "./_runtime.ts";
import { printText } from "./_print.ts";

interface RunFlags {
  query: string;
  context?: string[];
  model?: string;
  childModel?: string;
  baseUrl?: string;
  maxDepth?: string;
  maxExplore?: string;
  maxCommits?: string;
  maxParallel?: string;
  maxChildChars?: string;
  maxContextBytes?: string;
  maxCost?: string;
  maxLlmCalls?: string;
  timeout?: string;
  executor?: string;
  cache: boolean;
  cacheDir?: string;
  verbose?: boolean;
  trace?: string | boolean;
  json?: boolean;
  evalTimeout?: string;
  evalMemory?: string;
  evalMaxOutput?: string;
  eval: boolean;
  wasmPython?: string;
}

/** The `run` command. */
export function runCommand(): Command {
  return withEvalOptions(
    new Command("run")
      .description("answer a question about the context with a root model and sub-calls")
      .requiredOption("-q, --query <text>", "the question")
      .option(
        "-c, --context <file>",
        "context file; repeatable; - is stdin (default: stdin)",
        collect,
      )
      .option("-m, --model <name>", "root model [RLM_MODEL] (default: gpt-5-mini)")
      .option("--child-model <name>", "model for sub-calls [RLM_CHILD_MODEL] (default: --model)")
      .option(
        "--base-url <url>",
        "OpenAI-compatible endpoint for every model; gets only OPENAI_API_KEY (default: the provider's)",
      )
      .option(
        "--max-depth <n>",
        "sub-call depth: 0 none, 1 direct calls, 2+ recursive [RLM_MAX_DEPTH] (default: 1)",
      )
      .option("--max-explore <n>", "explore steps per call [RLM_MAX_EXPLORE] (default: 20)")
      .option("--max-commits <n>", "commit cycles per call [RLM_MAX_COMMITS] (default: 5)")
      .option(
        "--max-parallel <n>",
        "model calls in flight, whole tree [RLM_MAX_PARALLEL] (default: 8)",
      )
      .option("--max-child-chars <n>", "largest context of a direct sub-call (default: 400000)")
      .option("--max-context-bytes <n>", MAX_CONTEXT_BYTES_HELP)
      .option("--max-cost <usd>", "stop when the run has cost this much")
      .option("--max-llm-calls <n>", "stop after this many model calls")
      .option("--timeout <sec>", "stop after this many seconds")
      .option(
        "--executor <name>",
        "where pure ops run: local or nix [RLM_EXECUTOR] (default: local)",
      )
      .option("--no-cache", "neither read nor write any cache")
      .option("--cache-dir <dir>", "cache location [RLM_CACHE_DIR] (default: $XDG_CACHE_HOME/rlm)")
      .option("-v, --verbose", "live progress on stderr")
      .option(
        "--trace [path]",
        "write the execution trace as JSON (default path: traces/<time>.json)",
      )
      .option("--json", "print {answer, usage, cost_usd, ...} instead of the bare answer")
      .action(runAction),
  );
}

/** `--max-explore` or `--max-commits` (or its env var). */
function stepsFlag(flag: string | undefined, name: string, envVar: string, fallback: number) {
  const steps = fromEnvNamed(flag, name, envVar);
  return intFlag(steps.name, steps.text, fallback, 0, MAX_STEPS);
}

async function runAction(flags: RunFlags): Promise<void> {
  const settings = {
    model: modelFlag(flags.model, "--model", "RLM_MODEL") ?? "gpt-5-mini",
    childModel: modelFlag(flags.childModel, "--child-model", "RLM_CHILD_MODEL"),
    baseUrl: baseUrlFlag(flags.baseUrl),
    maxDepth: depthFlag(flags.maxDepth, 0),
    maxExplore: stepsFlag(flags.maxExplore, "--max-explore", "RLM_MAX_EXPLORE", 20),
    maxCommits: stepsFlag(flags.maxCommits, "--max-commits", "RLM_MAX_COMMITS", 5),
    ...callLimits(flags),
  };
  if (flags.query.trim() === "") throw new UsageError("The query (-q) is empty");
  await checkRuntimeFlags(flags);
  const options = runtimeOptions(flags);
  const tracePath = flags.trace === undefined || flags.trace === false
    ? undefined
    : flags.trace === true
    ? defaultTracePath()
    : flags.trace;
  const env = await readContexts(flags.context ?? [], {
    stdinIsTerminal: Deno.stdin.isTerminal(),
    maxContextBytes: maxContextBytes(flags.maxContextBytes),
  });
  await using runtime = await openRuntime(options);
  const progress = flags.verbose ? progressPrinter() : undefined;
  if (progress && runtime.sandbox) console.error(`eval: ${runtime.sandbox.description}`);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort(new Error("Interrupted"));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  let result: RlmResult;
  try {
    result = await rlm({
      query: flags.query,
      context: env,
      ...settings,
      executor: runtime.executor,
      store: runtime.store,
      sandbox: runtime.sandbox,
      signal: interrupt.signal,
      onModelCall: progress?.onModelCall,
      onStep: progress?.onStep,
      onOp: progress?.onOp,
      onRetry: progress?.onRetry,
    });
  } catch (error) {
    const trace = (error as { trace?: Trace }).trace;
    const written = tracePath !== undefined && trace !== undefined &&
      await saveTrace(tracePath, trace);
    if (trace) progress?.summary({ ...trace.totals, duration_ms: trace.duration_ms });
    if (interrupt.signal.aborted) {
      throw new Error(
        `Interrupted${written ? `; the trace so far was written to ${tracePath}` : ""}`,
      );
    }
    if (error instanceof BudgetExceededError && flags.json && trace) {
      console.log(
        JSON.stringify({
          ...summaryOf(trace),
          answer: error.partial ?? null,
          status: "budget_exceeded",
          trace: tracePath,
        }),
      );
      throw new BudgetExceededError(error.budget, error.message);
    }
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  if (tracePath) await saveTrace(tracePath, result.trace);
  progress?.summary({ ...result.trace.totals, duration_ms: result.duration_ms });
  if (flags.json) {
    console.log(
      JSON.stringify({
        ...summaryOf(result.trace),
        answer: result.answer,
        status: "answered",
        trace: tracePath,
      }),
    );
  } else {
    printText(result.answer);
  }
}

function summaryOf(trace: Trace) {
  return {
    usage: {
      prompt_tokens: trace.totals.prompt_tokens,
      completion_tokens: trace.totals.completion_tokens,
    },
    cost_usd: trace.totals.cost_usd,
    llm_calls: trace.totals.llm_calls,
    cache_hits: trace.totals.cache_hits,
    duration_ms: trace.duration_ms,
    model: trace.options.model,
  };
}

/** Write the trace; a trace that cannot be written is a warning, never the run's failure. */
async function saveTrace(path: string, trace: Trace): Promise<boolean> {
  try {
    await writeTrace(path, trace);
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`rlm: warning: the trace was not written: ${reason.split("\n")[0]}`);
    return false;
  }
}
