/**
 * `rlm run -q QUERY [-c FILE]...`: answer a question about the context (docs/reference/cli.md).
 *
 * @module
 */
import { Command } from "commander";
import { readContexts } from "../exec/context_files.ts";
import { MAX_CONTEXT_BYTES_HELP, maxContextBytes } from "./_context_flags.ts";
import { DEFAULTS } from "../loop/defaults.ts";
import { type RlmOutcome, settleRlm } from "../loop/settle_rlm.ts";
import { traceSummary } from "../loop/trace_summary.ts";
import { BudgetExceededError, UsageError } from "../protocol/errors.ts";
import type { Trace } from "../protocol/trace.ts";
import { defaultTracePath, writeTrace } from "../trace/write_trace.ts";
import { progressPrinter } from "./_progress.ts";
import {
  baseUrlFlag,
  callLimits,
  checkPortFlags,
  collect,
  depthFlag,
  fromEnvNamed,
  intFlag,
  MAX_STEPS,
  modelFlag,
} from "./_flags.ts";
import { openPorts, portChoices, withEvalOptions } from "./_ports.ts";
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
      .option("-m, --model <name>", `root model [RLM_MODEL] (default: ${DEFAULTS.model})`)
      .option("--child-model <name>", "model for sub-calls [RLM_CHILD_MODEL] (default: --model)")
      .option(
        "--base-url <url>",
        "OpenAI-compatible endpoint for every model; gets only OPENAI_API_KEY (default: the provider's)",
      )
      .option(
        "--max-depth <n>",
        `sub-call depth: 0 none, 1 direct calls, 2+ recursive [RLM_MAX_DEPTH] (default: ${DEFAULTS.maxDepth})`,
      )
      .option(
        "--max-explore <n>",
        `explore steps per call [RLM_MAX_EXPLORE] (default: ${DEFAULTS.maxExplore})`,
      )
      .option(
        "--max-commits <n>",
        `commit cycles per call [RLM_MAX_COMMITS] (default: ${DEFAULTS.maxCommits})`,
      )
      .option(
        "--max-parallel <n>",
        `model calls in flight, whole tree [RLM_MAX_PARALLEL] (default: ${DEFAULTS.maxParallel})`,
      )
      .option(
        "--max-child-chars <n>",
        `largest context of a direct sub-call (default: ${DEFAULTS.maxChildChars})`,
      )
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

/** The run's settings from its flags (and their env vars), every value checked. */
function runSettings(flags: RunFlags) {
  return {
    model: modelFlag(flags.model, "--model", "RLM_MODEL") ?? DEFAULTS.model,
    childModel: modelFlag(flags.childModel, "--child-model", "RLM_CHILD_MODEL"),
    baseUrl: baseUrlFlag(flags.baseUrl),
    maxDepth: depthFlag(flags.maxDepth, 0),
    maxExplore: stepsFlag(
      flags.maxExplore,
      "--max-explore",
      "RLM_MAX_EXPLORE",
      DEFAULTS.maxExplore,
    ),
    maxCommits: stepsFlag(
      flags.maxCommits,
      "--max-commits",
      "RLM_MAX_COMMITS",
      DEFAULTS.maxCommits,
    ),
    ...callLimits(flags),
  };
}

async function runAction(flags: RunFlags): Promise<void> {
  const settings = runSettings(flags);
  if (flags.query.trim() === "") throw new UsageError("The query (-q) is empty");
  await checkPortFlags(flags);
  const choices = portChoices(flags);
  const tracePath = flags.trace === undefined || flags.trace === false
    ? undefined
    : flags.trace === true
    ? defaultTracePath()
    : flags.trace;
  const env = await readContexts(flags.context ?? [], {
    stdinIsTerminal: Deno.stdin.isTerminal(),
    maxContextBytes: maxContextBytes(flags.maxContextBytes),
  });
  const progress = flags.verbose ? progressPrinter() : undefined;
  const models = [...new Set([settings.model, settings.childModel ?? settings.model])];
  const ports = await openPorts(choices, {
    models,
    baseUrl: settings.baseUrl,
    onRetry: progress?.onRetry,
  });
  if (progress && ports.sandbox && "description" in ports.sandbox) {
    console.error(`eval: ${ports.sandbox.description}`);
  }
  const interrupt = new AbortController();
  const outcome = await whileListening(interrupt, () =>
    settleRlm({
      query: flags.query,
      context: env,
      ...settings,
      modelPort: ports.modelPort,
      executor: ports.executor,
      store: ports.store,
      sandbox: ports.sandbox,
      signal: interrupt.signal,
      onModelCall: progress?.onModelCall,
      onStep: progress?.onStep,
      onOp: progress?.onOp,
    }));
  const { trace } = outcome.status === "answered" ? outcome.result : outcome;
  const written = tracePath !== undefined && await saveTrace(tracePath, trace);
  progress?.summary({ ...trace.totals, duration_ms: trace.duration_ms });
  if (outcome.status !== "answered") {
    if (interrupt.signal.aborted) {
      throw new Error(
        `Interrupted${written ? `; the trace so far was written to ${tracePath}` : ""}`,
      );
    }
    printPartial(outcome, flags.json === true, tracePath);
    throw outcome.error;
  }
  if (flags.json) {
    console.log(
      JSON.stringify({
        ...summaryOf(trace),
        answer: outcome.result.answer,
        status: "answered",
        trace: tracePath,
      }),
    );
  } else {
    printText(outcome.result.answer);
  }
}

/** Run `task` with SIGINT and SIGTERM aborting `interrupt`. */
async function whileListening<T>(interrupt: AbortController, task: () => Promise<T>): Promise<T> {
  const onSignal = () => interrupt.abort(new Error("Interrupted"));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    return await task();
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}

/**
 * When a budget ran out, the best partial answer goes to stdout (as the `answer` of the JSON
 * with `--json`) before the error: exit code 3 (docs/reference/cli.md).
 */
function printPartial(
  outcome: Exclude<RlmOutcome, { status: "answered" }>,
  json: boolean,
  tracePath: string | undefined,
) {
  if (!(outcome.error instanceof BudgetExceededError)) return;
  if (json) {
    console.log(
      JSON.stringify({
        ...summaryOf(outcome.trace),
        answer: outcome.partial ?? null,
        status: "budget_exceeded",
        trace: tracePath,
      }),
    );
  } else if (outcome.partial !== undefined) {
    printText(outcome.partial);
  }
}

function summaryOf(trace: Trace) {
  return { ...traceSummary(trace), model: trace.options.model };
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
