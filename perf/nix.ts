/**
 * The nix executor's overhead against the local one, and the trivial-derivation floor of the
 * same Nix (issue 5's targets).
 *
 * @module
 */
import { hashValue } from "../src/cache/hash.ts";
import { createLocalExecutor } from "../src/exec/local/local_executor.ts";
import { createNixExecutor } from "../src/exec/nix/nix_executor.ts";
import { nix } from "../src/exec/nix/_nix_cli.ts";
import { setupBuilder } from "../src/exec/nix/_setup.ts";
import { denoBuilderAttrs } from "../src/exec/nix/_deno_builder.ts";
import { parseOperation } from "../src/ops/parse_operation.ts";
import {
  isRootRequest,
  startScriptedServer,
  turnsSoFar,
} from "../tests/fixtures/scripted_server.ts";
import type { BenchContext, BenchRow, BenchSuite } from "./_types.ts";
import { rlmArgv } from "./_rlm.ts";
import { writeSyntheticLog } from "./_synthetic_log.ts";
import { NixIndex } from "../src/cache/nix_index.ts";

/** The Nix suite. */
export const nixSuite: BenchSuite = {
  id: "nix",
  title: "Nix executor overhead",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const hasNix = await nix("nix-build", ["--version"]).then((r) => r.code === 0, () => false);
    if (!hasNix) throw new Error("nix-build is not installed (apt-get install nix-bin)");
    const executor = await createNixExecutor({ cacheDir: `${ctx.tmpDir}/cache` });
    const local = createLocalExecutor({});
    const nonce = crypto.randomUUID();
    const text = Array.from(
      { length: 2000 },
      (_, i) => `line ${i} ${i % 7 === 0 ? "ERROR" : "ok"} ${nonce}`,
    ).join("\n");
    const vars = new Map([["context", { value: text, hash: hashValue(text) }]]);
    const task = (i: number) => ({
      op: parseOperation({
        op: "count",
        args: { input: "context", mode: "matches", pattern: `ERROR|line ${i} ` },
      }),
      vars,
    });
    // Warm: the deno binary, the builder bundle and the value are in the store.
    await executor.run([task(-1)]);
    const times = async (fn: () => Promise<unknown>, n: number) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
      return ms.sort((a, b) => a - b)[Math.floor(n / 2)];
    };
    let k = 0;
    ctx.log("new builds, one op each");
    const fresh = await times(() => executor.run([task(k++)]), 7);
    const localMs = await times(() => local.run([task(k++)]), 7);
    ctx.log("cached ops, another cache dir on the same store");
    const other = await createNixExecutor({ cacheDir: `${ctx.tmpDir}/cache2` });
    let c = 0;
    const cachedNoIndex = await times(() => other.run([task(c++)]), 7);
    let d = 0;
    const cachedIndexed = await times(() => executor.run([task(d++)]), 7);
    ctx.log("a 100-op plan, cold (median of 3, each of 100 new ops)");
    const plans: number[] = [];
    for (let r = 1; r <= 3; r++) {
      const s = performance.now();
      await executor.run(Array.from({ length: 100 }, (_, i) => task(r * 10_000 + i)));
      plans.push((performance.now() - s) / 1000);
    }
    const plan100 = plans.sort((a, b) => a - b)[1];
    ctx.log("the trivial-derivation floor: the same Deno builder writing one byte");
    // The executor's Deno, Deno flags and Nix settings (setupBuilder is memoized in the cache dir).
    const paths = await setupBuilder(new NixIndex(`${ctx.tmpDir}/cache`).dir);
    const floorJs = "Deno.writeTextFileSync(Deno.env.get('out'), 'x');";
    const floor = await times(async () => {
      const expr = `derivation { name = "floor"; system = builtins.currentSystem;
        ${
        denoBuilderAttrs(
          `builtins.storePath "${paths.deno}"`,
          `(builtins.toFile "floor.js" "${floorJs}")`,
        )
      }
        n = "${crypto.randomUUID()}"; }`;
      const r = await nix("nix-build", ["--no-out-link", "--expr", expr], {
        config: [`build-hook = ${paths.hook}`],
      });
      if (r.code !== 0) throw new Error(`trivial build failed: ${r.stderr.slice(-300)}`);
    }, 7);
    ctx.log("rlm run on a 5 MB context with a scripted model: local vs nix executor");
    const runRows = await runVsLocal(ctx);
    return [
      {
        name: "new build of one op: overhead over local",
        value: fresh - localMs,
        unit: "ms",
        reference: { name: "local op", value: localMs },
        target: "< 100 ms",
        pass: fresh - localMs < 100,
      },
      {
        name: "cached op, index hit (no Nix call)",
        value: cachedIndexed,
        unit: "ms",
        target: "< 40 ms",
        pass: cachedIndexed < 40,
      },
      {
        name: "cached op, fresh cache dir (instantiate + validity check)",
        value: cachedNoIndex,
        unit: "ms",
        target: "< 40 ms",
        pass: cachedNoIndex < 40,
      },
      {
        name: "100-op plan, cold, one batch (median of 3)",
        value: plan100,
        unit: "s",
        target: "< 3 s",
        pass: plan100 < 3,
      },
      {
        name:
          "trivial derivation floor (nix-build of a Deno builder that writes one byte, the executor's Deno flags and Nix settings)",
        value: floor,
        unit: "ms",
      },
      ...runRows,
    ];
  },
};

async function runVsLocal(ctx: BenchContext): Promise<BenchRow[]> {
  const log = `${ctx.tmpDir}/five.log`;
  await writeSyntheticLog(log, 5 * 1024 * 1024);
  await using server = startScriptedServer({
    reply: (r) => {
      if (!isRootRequest(r)) return { content: "0" };
      const turn = turnsSoFar(r);
      if (turn === 0) {
        return {
          content: JSON.stringify({
            mode: "commit",
            operations: [
              { op: "grep", args: { input: "context", pattern: "ERROR" }, bind: "e" },
              { op: "count", args: { input: "e" }, bind: "n" },
              { op: "chunk", args: { input: "e", n: 4 }, bind: "c" },
              { op: "count", args: { input: "context", mode: "words" }, bind: "w" },
            ],
            output: "n",
          }),
        };
      }
      return { content: '{"mode":"final","answer_var":"n"}' };
    },
  });
  const time = async (args: string[]) => {
    const s = performance.now();
    const r = await new Deno.Command(Deno.execPath(), {
      args: (await rlmArgv(args)).slice(1),
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (r.code !== 0) throw new Error(`rlm run failed: ${new TextDecoder().decode(r.stderr)}`);
    return (performance.now() - s) / 1000;
  };
  const base = ["run", "-q", "How many errors?", "-c", log, "--base-url", server.url];
  // Each run is cold for its executor: local with a new cache dir, nix (after the first run's
  // one-time setup) on a context with one more line, so every op is built again. Medians of 3.
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const locals: number[] = [];
  for (let k = 0; k < 3; k++) {
    locals.push(await time([...base, "--cache-dir", `${ctx.tmpDir}/run-local-${k}`]));
  }
  const local = median(locals);
  const nixArgs = [...base, "--executor", "nix", "--cache-dir", `${ctx.tmpDir}/run-nix`];
  const nixCold = await time(nixArgs);
  const warms: number[] = [];
  for (let k = 0; k < 3; k++) {
    // A line no earlier run had, so the store holds none of these ops yet.
    await Deno.writeTextFile(log, `2026-11-20T00:00:0${k}Z ERROR [x] ${crypto.randomUUID()}\n`, {
      append: true,
    });
    warms.push(await time(nixArgs));
  }
  const nixWarm = median(warms);
  return [
    {
      name:
        "rlm run, 5 MB context, scripted model, nix executor, new cache dir (includes its one-time setup)",
      value: nixCold,
      unit: "s",
      reference: { name: "local executor", value: local },
    },
    {
      name: "rlm run, 5 MB context, scripted model, nix executor, every op built anew",
      value: nixWarm,
      unit: "s",
      reference: { name: "local executor", value: local },
      target: "< 2x local",
      pass: nixWarm < 2 * local,
    },
  ];
}
