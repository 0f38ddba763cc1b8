/**
 * `rlm bench run | report`: paper-style accuracy, cost and latency tables.
 *
 * @module
 */
import { Command } from "commander";
import { resolveCacheDir } from "../cache/cache_dir.ts";
import { defaultPorts } from "../loop/default_ports.ts";
import { DEFAULTS } from "../loop/defaults.ts";
import { SUITES } from "../bench/generators.ts";
import { renderMarkdown, renderSvg, summarize } from "../bench/report.ts";
import { METHODS, readResults, runBench } from "../bench/run_bench.ts";
import { type BenchTask, BenchTaskSchema } from "../protocol/bench.ts";
import { UsageError } from "../protocol/errors.ts";
import { baseUrlFlag, collect, fromEnv, intFlag, numFlag } from "./_flags.ts";

interface RunFlags {
  suite?: string;
  tasks?: string[];
  model?: string;
  childModel?: string;
  baseUrl?: string;
  methods: string;
  seed: string;
  out: string;
  maxCost?: string;
  windowChars: string;
  cacheDir?: string;
  cache: boolean;
}

/** The `bench` command. */
export function benchCommand(): Command {
  const bench = new Command("bench").description(
    "accuracy, cost and latency benchmarks (paper-style tables)",
  );
  bench.command("run")
    .description("run benchmark tasks with several methods; results go to a JSONL file (resumable)")
    .option(
      "--suite <name>",
      `generated tasks: ${Object.keys(SUITES).join(" or ")} (default: paper-small, unless --tasks)`,
    )
    .option(
      "--tasks <file>",
      "JSONL tasks {id, question, answer, answer_type, context | context_file}; repeatable",
      collect,
    )
    .option("-m, --model <name>", `model [RLM_MODEL] (default: ${DEFAULTS.model})`)
    .option("--child-model <name>", "model for sub-calls [RLM_CHILD_MODEL] (default: --model)")
    .option(
      "--base-url <url>",
      "OpenAI-compatible endpoint for every model; gets only OPENAI_API_KEY (default: the provider's)",
    )
    .option("--methods <list>", `comma-separated: ${METHODS.join(", ")}`, "rlm-d1,direct")
    .option("--seed <n>", "seed of the generated tasks", "1")
    .option(
      "--out <file>",
      "results file (JSONL); results already there are not run again",
      "bench-results.jsonl",
    )
    .option("--max-cost <usd>", "stop the whole bench when it has cost this much")
    .option(
      "--window-chars <n>",
      "context the direct method may send; longer contexts are truncated (and marked)",
      "400000",
    )
    .option("--cache-dir <dir>", "cache location [RLM_CACHE_DIR]")
    .option("--no-cache", "neither read nor write any cache")
    .action(async (flags: RunFlags) => {
      const tasks = await loadTasks(flags);
      const model = fromEnv(flags.model, "RLM_MODEL") ?? DEFAULTS.model;
      const childModel = fromEnv(flags.childModel, "RLM_CHILD_MODEL");
      // As for rlm run: OPENAI_BASE_URL moves OpenAI's endpoint only, never another provider's.
      const baseUrl = baseUrlFlag(flags.baseUrl);
      const ports = await defaultPorts({
        models: [...new Set([model, childModel ?? model])],
        baseUrl,
        cacheDir: flags.cache
          ? resolveCacheDir(fromEnv(flags.cacheDir, "RLM_CACHE_DIR"))
          : undefined,
      });
      const methods = flags.methods.split(",").map((m) => m.trim()).filter(Boolean);
      const results = await runBench({
        tasks,
        methods,
        model,
        childModel,
        baseUrl,
        modelPort: ports.modelPort!,
        store: ports.store,
        executor: ports.executor,
        out: flags.out,
        maxCostUsd: numFlag("--max-cost", flags.maxCost),
        windowChars: intFlag("--window-chars", flags.windowChars, 400_000, 1),
        onResult: (r, done, total) => {
          const width = 20;
          const bar = "#".repeat(Math.round((done / total) * width)).padEnd(width, "-");
          console.error(
            `[${bar}] ${done}/${total} ${r.task_id} ${r.method}: score ${
              (r.score * 100).toFixed(0)
            }${r.error ? ` (error: ${r.error})` : ""}`,
          );
        },
      });
      console.error(`${results.length} new results in ${flags.out}`);
      console.log(renderMarkdown(summarize(await readResults(flags.out))));
    });
  bench.command("report")
    .description(
      "summarize a results file as a Markdown table (and an SVG chart of score against context length)",
    )
    .argument("<results>", "results file (JSONL) from rlm bench run")
    .option("--svg <file>", "also write the chart as SVG")
    .option("--json", "print the rows as JSON instead of Markdown")
    .action(async (path: string, flags: { svg?: string; json?: boolean }) => {
      const results = await readResults(path);
      if (results.length === 0) throw new UsageError(`No results in "${path}"`);
      const rows = summarize(results);
      if (flags.svg) await Deno.writeTextFile(flags.svg, renderSvg(rows));
      console.log(flags.json ? JSON.stringify(rows) : renderMarkdown(rows));
    });
  return bench;
}

async function loadTasks(flags: RunFlags): Promise<BenchTask[]> {
  const tasks: BenchTask[] = [];
  const seed = intFlag("--seed", flags.seed, 1, 0);
  if (flags.suite !== undefined || !flags.tasks?.length) {
    const name = flags.suite ?? "paper-small";
    const suite = SUITES[name];
    if (!suite) {
      throw new UsageError(`Unknown suite "${name}": use ${Object.keys(SUITES).join(" or ")}`);
    }
    tasks.push(...suite(seed));
  }
  for (const file of flags.tasks ?? []) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      throw new UsageError(
        `Cannot read tasks file "${file}": ${
          error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message
        }`,
      );
    }
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new UsageError(`Tasks file "${file}", line ${i + 1}: not valid JSON`);
      }
      const parsed = BenchTaskSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(
          `Tasks file "${file}", line ${i + 1}: ${
            issue.path.join(".") || "task"
          }: ${issue.message}`,
        );
      }
      const task = parsed.data;
      // A relative context_file is relative to the tasks file.
      if (task.context_file && !task.context_file.startsWith("/")) {
        task.context_file = dir + task.context_file;
      }
      tasks.push(task);
    });
  }
  return tasks;
}
