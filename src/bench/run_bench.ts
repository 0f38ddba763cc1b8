/**
 * `rlm bench run`: every task with every method, scored, one JSONL line per result, resumable.
 *
 * @module
 */
import type { ResultStore } from "../cache/store.ts";
import type { Executor } from "../exec/executor.ts";
import type { ModelPort } from "../llm/port.ts";
import { ModelCallCache } from "../loop/model_call_cache.ts";
import { rlm } from "../loop/rlm.ts";
import { directMessages } from "../loop/run_rlm.ts";
import { type BenchResult, BenchResultSchema, type BenchTask } from "../protocol/bench.ts";
import { BudgetExceededError, UsageError } from "../protocol/errors.ts";
import { score } from "./scorers.ts";

/** The methods: rlm at depth 0, 1, 2, and the base model on the (truncated) context. */
export const METHODS = ["rlm-d0", "rlm-d1", "rlm-d2", "direct"] as const;

/** Options of a bench run. */
export interface RunBenchOptions {
  tasks: BenchTask[];
  methods: string[];
  model: string;
  childModel?: string;
  /** The model port (`defaultPorts()`), for every method. */
  modelPort: ModelPort;
  /**
   * The `--base-url` the model port sends every model to, if one was given: part of the cache
   * key of the rlm methods' model calls, as for `rlm()`.
   */
  baseUrl?: string;
  /** The results file; results already in it are skipped (resume). */
  out: string;
  /** Stop the bench when it has cost this much. */
  maxCostUsd?: number;
  /** Characters of context the `direct` method may send (its window); longer ones are truncated. */
  windowChars: number;
  /** The cache for model calls and op results; none means no caching. */
  store?: ResultStore;
  /** Where the rlm methods' pure ops run; default the local executor with `store`. */
  executor?: Executor;
  onResult?: (result: BenchResult, done: number, total: number) => void;
}

/** Run what is not in `out` yet; returns every result of this run. */
export async function runBench(options: RunBenchOptions): Promise<BenchResult[]> {
  for (const m of options.methods) {
    if (!(METHODS as readonly string[]).includes(m)) {
      throw new UsageError(`Unknown method "${m}": use ${METHODS.join(", ")}`);
    }
  }
  const done = new Set(
    (await readResults(options.out)).map((r) => `${r.task_id}\u0000${r.method}`),
  );
  const todo = options.tasks.flatMap((t) => options.methods.map((m) => [t, m] as const))
    .filter(([t, m]) => !done.has(`${t.id}\u0000${m}`));
  const port = options.modelPort;
  const results: BenchResult[] = [];
  let spent = 0;
  for (const [task, method] of todo) {
    if (options.maxCostUsd !== undefined && spent >= options.maxCostUsd) {
      throw new BudgetExceededError(
        "cost",
        `Bench cost budget of $${options.maxCostUsd} ran out after ${results.length} results`,
      );
    }
    const context = task.context ?? (await Deno.readTextFile(task.context_file as string));
    const result = await runOne(task, method, context, port, options);
    spent += result.cost_usd ?? 0;
    await Deno.writeTextFile(options.out, JSON.stringify(result) + "\n", { append: true });
    results.push(result);
    options.onResult?.(result, results.length, todo.length);
  }
  return results;
}

async function runOne(
  task: BenchTask,
  method: string,
  context: string,
  port: ModelPort,
  options: RunBenchOptions,
): Promise<BenchResult> {
  const base = {
    task_id: task.id,
    kind: task.kind,
    size_tokens: task.size_tokens ?? null,
    method,
    model: options.model,
    expected: task.answer,
  };
  const start = performance.now();
  try {
    if (method === "direct") {
      const truncated = context.length > options.windowChars;
      const request = {
        model: options.model,
        messages: directMessages(
          task.question,
          truncated ? context.slice(0, options.windowChars) : context,
        ),
      };
      // Cached as the rlm methods' calls are: a hit costs nothing and counts no call or tokens.
      const cache = options.store && new ModelCallCache(options.store, options.baseUrl);
      const key = cache?.key(request);
      let r = cache && key ? await cache.read(key) : undefined;
      if (r === undefined) {
        r = await port.complete(request);
        if (cache && key) await cache.write(key, r);
      }
      return {
        ...base,
        score: score(task.answer_type, r.content, task.answer),
        answer: r.content.trim(),
        cost_usd: r.cached ? 0 : r.costUsd,
        tokens: r.cached ? 0 : r.usage.promptTokens + r.usage.completionTokens,
        llm_calls: r.cached ? 0 : 1,
        latency_ms: Math.round(performance.now() - start),
        truncated,
      };
    }
    const r = await rlm({
      query: task.question,
      context,
      model: options.model,
      childModel: options.childModel,
      maxDepth: Number(method.slice("rlm-d".length)),
      modelPort: port,
      baseUrl: options.baseUrl,
      store: options.store,
      executor: options.executor,
    });
    return {
      ...base,
      score: score(task.answer_type, r.answer, task.answer),
      answer: r.answer,
      cost_usd: r.cost_usd,
      tokens: r.usage.prompt_tokens + r.usage.completion_tokens,
      llm_calls: r.llm_calls,
      latency_ms: Math.round(performance.now() - start),
      truncated: false,
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return {
      ...base,
      score: 0,
      answer: null,
      cost_usd: null,
      tokens: 0,
      llm_calls: 0,
      latency_ms: Math.round(performance.now() - start),
      truncated: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The results in a JSONL file (none if it does not exist); a malformed line is a `UsageError`. */
export async function readResults(path: string): Promise<BenchResult[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return text.split("\n").filter((l) => l.trim() !== "").map((line, i) => {
    const parsed = BenchResultSchema.safeParse(safeJson(line));
    if (!parsed.success) {
      throw new UsageError(`Results file "${path}", line ${i + 1}: not a bench result`);
    }
    return parsed.data;
  });
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
