/**
 * Ops and cache: `rlm exec` grep+count over a big log against GNU grep and ripgrep, memory,
 * hashing throughput, and cache hits (issue 2's targets).
 *
 * @module
 */
import { hashText } from "../src/cache/hash.ts";
import { fileTextBinding } from "../src/exec/file_text.ts";
import { openFileStore } from "../src/cache/file_store.ts";
import { createLocalExecutor } from "../src/exec/local/local_executor.ts";
import { parsePlan } from "../src/exec/parse_plan.ts";
import { runPlan } from "../src/exec/run_plan.ts";
import type { BenchContext, BenchRow, BenchSuite } from "./_types.ts";
import { medianMs, medianProcess } from "./_measure.ts";
import { rlmArgv } from "./_rlm.ts";
import { writeSyntheticLog } from "./_synthetic_log.ts";

const PATTERN = "ERROR .*timed out";

const PATTERN_I = "error .*timed? ?out";

/** `rlm exec` grep (ignore_case) + count against `grep -ciE` with the same pattern. */
async function caseInsensitiveRow(tmpDir: string, log: string, mb: number): Promise<BenchRow> {
  const planPath = `${tmpDir}/plan_i.json`;
  await Deno.writeTextFile(
    planPath,
    JSON.stringify({
      operations: [
        {
          op: "grep",
          args: { input: "context", pattern: PATTERN_I, ignore_case: true },
          bind: "hits",
        },
        { op: "count", args: { input: "hits", mode: "lines" }, bind: "n" },
      ],
      output: "n",
    }),
  );
  const grep = await medianProcess(["grep", "-ciE", PATTERN_I, log], { warmup: true });
  const rlm = await medianProcess(await rlmArgv(["exec", planPath, "-c", log, "--no-cache"]));
  const expected = grep.stdout.trim();
  if (rlm.stdout.trim() !== expected) {
    throw new Error(`rlm exec counted ${rlm.stdout.trim()}, grep -ciE counted ${expected}`);
  }
  return {
    name: `rlm exec grep+count ignore_case, ${mb} MB, whole process, no cache`,
    value: rlm.seconds,
    unit: "s",
    reference: { name: "grep -ciE", value: grep.seconds },
    target: "≤ 3x grep -ciE",
    pass: rlm.seconds <= 3 * grep.seconds,
    note: `same count as grep (${expected})`,
  };
}

/** The ops suite. */
export const opsSuite: BenchSuite = {
  id: "ops",
  title: "Ops and cache (grep + count over a big log)",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const mb = ctx.quick ? 20 : 200;
    const log = `${ctx.tmpDir}/big.log`;
    ctx.log(`writing a ${mb} MB synthetic log`);
    await writeSyntheticLog(log, mb * 1024 * 1024);
    const planPath = `${ctx.tmpDir}/plan.json`;
    const plan = {
      operations: [
        { op: "grep", args: { input: "context", pattern: PATTERN }, bind: "hits" },
        { op: "count", args: { input: "hits", mode: "lines" }, bind: "n" },
      ],
      output: "n",
    };
    await Deno.writeTextFile(planPath, JSON.stringify(plan));
    const rows: BenchRow[] = [];

    ctx.log("grep -cE / rg -c / rlm exec --no-cache");
    const grep = await medianProcess(["grep", "-cE", PATTERN, log], { warmup: true });
    const rg = await medianProcess(["rg", "-c", PATTERN, log]).catch(() => undefined);
    const rlm = await medianProcess(await rlmArgv(["exec", planPath, "-c", log, "--no-cache"]));
    const expected = grep.stdout.trim();
    if (rlm.stdout.trim() !== expected) {
      throw new Error(`rlm exec counted ${rlm.stdout.trim()}, grep -cE counted ${expected}`);
    }
    rows.push({
      name: `rlm exec grep+count, ${mb} MB, whole process, no cache`,
      value: rlm.seconds,
      unit: "s",
      reference: { name: "grep -cE", value: grep.seconds },
      target: "≤ 2.5x grep -cE",
      pass: rlm.seconds <= 2.5 * grep.seconds,
      note: `same count as grep (${expected})`,
    });
    ctx.log("grep -ciE / rlm exec ignore_case --no-cache");
    rows.push(await caseInsensitiveRow(ctx.tmpDir, log, mb));
    if (rg) {
      rows.push({
        name: `ripgrep -c, ${mb} MB (reference)`,
        value: rg.seconds,
        unit: "s",
        reference: { name: "grep -cE", value: grep.seconds },
      });
    }
    rows.push({
      name: `rlm exec peak RSS, ${mb} MB context`,
      value: rlm.peakMb,
      unit: "MB",
      reference: { name: "context size", value: mb },
      target: "≤ 3x context size",
      pass: rlm.peakMb <= 3 * mb,
    });

    ctx.log("rlm exec with a cache: cold, then warm");
    const cacheDir = `${ctx.tmpDir}/cache`;
    const withCache = await rlmArgv(["exec", planPath, "-c", log, "--cache-dir", cacheDir]);
    const cold = await medianProcess(withCache, { runs: 1 });
    const warm = await medianProcess(withCache, { runs: 3 });
    rows.push({
      name: `rlm exec grep+count, ${mb} MB, whole process, warm cache`,
      value: warm.seconds,
      unit: "s",
      reference: { name: "cold cache", value: cold.seconds },
      note: "a warm run still reads and hashes the context file",
    });

    ctx.log("in-process: hashing and cached-op latency");
    // As the CLI does it: the file's bytes read, checked to be UTF-8, and hashed.
    const info = await Deno.stat(log);
    const snapshot = { path: log, size: info.size, mtime: info.mtime?.getTime() ?? null };
    const hashMs = await medianMs(() => fileTextBinding(snapshot).hash, 3);
    const gbps = info.size / 1e9 / (hashMs / 1000);
    rows.push({
      name: `hash a ${mb} MB context file (read, UTF-8 check, sha256)`,
      value: gbps,
      unit: "GB/s",
      target: "≥ 1 GB/s",
      pass: gbps >= 1,
      note: `${hashMs.toFixed(0)} ms`,
    });
    const text = await Deno.readTextFile(log);
    const env = new Map([["context", { value: text, hash: hashText(text) }]]);
    const executor = createLocalExecutor({ store: await openFileStore(cacheDir) });
    const parsed = parsePlan(plan);
    await runPlan(parsed, new Map(env), { executor });
    const hitMs = await medianMs(() => runPlan(parsed, new Map(env), { executor }), 7);
    rows.push({
      name: `cached grep+count plan on a ${mb} MB context, context hash known`,
      value: hitMs,
      unit: "ms",
      target: "< 50 ms",
      pass: hitMs < 50,
    });
    return rows;
  },
};
