/**
 * Plan scheduling: `rlm exec` on plans of 100 000 trivial ops, a chain and a fan, whole process
 * (issue 12's target: under 2 s), and the in-process cost of parsing and scheduling them.
 *
 * @module
 */
import { hashValue } from "../src/cache/hash.ts";
import { createLocalExecutor } from "../src/exec/local/local_executor.ts";
import { parsePlan } from "../src/exec/parse_plan.ts";
import { runPlan } from "../src/exec/run_plan.ts";
import type { BenchContext, BenchRow, BenchSuite } from "./_types.ts";
import { medianMs, medianProcess } from "./_measure.ts";
import { rlmArgv } from "./_rlm.ts";

/** `n` slices of 3 characters: each of the one before it (a chain) or each of the context. */
function trivialPlan(n: number, shape: "chain" | "fan") {
  return {
    operations: Array.from({ length: n }, (_, i) => ({
      op: "slice",
      args: { input: shape === "chain" && i > 0 ? `v${i - 1}` : "context", start: 0, end: 3 },
      bind: `v${i}`,
    })),
  };
}

/** User + system CPU seconds of one run of `cmd` (under GNU time; NaN without it). */
async function cpuSeconds(cmd: string[]): Promise<number> {
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "__cpu=%U %S", ...cmd],
    stdout: "null",
    stderr: "piped",
  }).output().catch(() => undefined);
  const m = out && /__cpu=([\d.]+) ([\d.]+)/.exec(new TextDecoder().decode(out.stderr));
  return m ? Number(m[1]) + Number(m[2]) : NaN;
}

/** The plan-scheduling suite. */
export const planSuite: BenchSuite = {
  id: "plan",
  title: "Plan scheduling (100 000 trivial ops)",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const n = ctx.quick ? 20_000 : 100_000;
    const context = `${ctx.tmpDir}/context.txt`;
    await Deno.writeTextFile(context, "hello\n");
    const rows: BenchRow[] = [];
    for (const shape of ["chain", "fan"] as const) {
      const path = `${ctx.tmpDir}/${shape}.json`;
      await Deno.writeTextFile(path, JSON.stringify(trivialPlan(n, shape)));
      ctx.log(`rlm exec, ${n} ops, ${shape}`);
      const run = await medianProcess(await rlmArgv(["exec", path, "-c", context, "--no-cache"]));
      if (run.stdout.trim() !== "hel") throw new Error(`the ${shape} plan printed ${run.stdout}`);
      const cpu = await cpuSeconds(await rlmArgv(["exec", path, "-c", context, "--no-cache"]));
      rows.push({
        name: `rlm exec, ${n} slice ops (${shape}), whole process, no cache`,
        value: run.seconds,
        unit: "s",
        target: "< 2 s",
        pass: run.seconds < 2,
        note: `CPU time user+sys ${
          cpu.toFixed(2)
        } s; wall time is higher when other work shares the cores`,
      });
    }
    const plan = trivialPlan(n, "chain");
    const ms = await medianMs(async () => {
      const env = new Map([["context", { value: "hello", hash: hashValue("hello") }]]);
      await runPlan(parsePlan(plan), env, { executor: createLocalExecutor({}) });
    }, 3);
    rows.push({
      name: `parsePlan + runPlan in process, ${n} ops (chain)`,
      value: ms,
      unit: "ms",
      note: "the scheduler alone, without process start and plan reading",
    });
    return rows;
  },
};
