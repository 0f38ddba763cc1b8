/**
 * `deno task bench [SUITE...] [--quick] [--no-write]`: the performance suite. Runs each suite,
 * prints its rows, and rewrites docs/performance.md with the numbers of this run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { BenchRow, BenchSuite } from "./_types.ts";
import { ROOT } from "./_rlm.ts";
import { fanoutSuite } from "./fanout.ts";
import { opsSuite } from "./ops.ts";
import { planSuite } from "./plan.ts";
import { nixSuite } from "./nix.ts";
import { sandboxSuite } from "./sandbox.ts";

/** Where the time goes (kept here so the page explains itself after every run). */
const NOTES = `## Where the time goes, and what is close to its target

- **grep + count vs \`grep -cE\`** (targets ≤ 2.5x, and ≤ 3x \`grep -ciE\` with \`ignore_case\`): GNU grep scans page-cached bytes; rlm must
  decode UTF-8 into JavaScript strings before a regex can see them. A context file is therefore
  read in ~1 MiB line-aligned pieces that \`grep\` and \`count\` scan one at a time (no 200 MB
  string, no join): roughly 40 ms of reading, 100 ms of decoding, 60 ms of regex, and ~80 ms of
  process start, on one thread. \`grep\` and \`count\` scan line-aligned parts of a file of 64 MB
  or more on every core; on this 2-core machine that saves only ~15-25% (one part's reading and
  decoding slows the other's), more on machines with more cores. The warm-cache run still reads
  and hashes the file (UTF-8 check with simdutf, then sha256).
- **Nix executor per-op cost** (targets < 100 ms per new build, < 3 s for 100 ops; close,
  and not met in every run): every op is its own derivation. A new build is ~20 ms of starting
  Nix, ~5 ms of evaluation, ~17 ms of Nix's sandbox and registration, ~20 ms of starting Deno and
  ~4 ms of op; the "trivial derivation floor" row is the same with a builder that writes one
  byte. A 100-op batch is CPU-bound at ~40 ms of CPU per build, half Nix and half Deno: ~2 s on 2
  idle cores, over 3 s when other work holds one of them. Details in
  docs/explanation/nix-executor.md.
- **Pyodide eval latency** (target < 0.6 s; not met since the sandbox was locked down): every eval
  is a fresh child that takes the 31 MB memory snapshot on stdin (~100 ms), loads it (~230 ms) and
  then removes every reference to JavaScript from the interpreter (~170 ms, docs/explanation/sandbox.md)
  before the code runs. The WASI runtimes do not pay for that last step.
`;

const SUITES: BenchSuite[] = [opsSuite, planSuite, fanoutSuite, sandboxSuite, nixSuite];

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const unknown = positionals.filter((id) => !SUITES.some((s) => s.id === id));
if (unknown.length > 0) {
  console.error(
    `bench: unknown suite ${unknown.join(", ")}; suites: ${SUITES.map((s) => s.id).join(", ")}`,
  );
  Deno.exit(2);
}
const chosen = positionals.length ? SUITES.filter((s) => positionals.includes(s.id)) : SUITES;

const sections: string[] = [];
let failedTargets = 0;
for (const suite of chosen) {
  const tmpDir = await Deno.makeTempDir({ prefix: `rlm-bench-${suite.id}-` });
  const log = (m: string) => console.error(`[${suite.id}] ${m}`);
  try {
    const rows = await suite.run({ tmpDir, quick: values.quick, log });
    failedTargets += rows.filter((r) => r.pass === false).length;
    const table = renderTable(rows);
    console.log(`\n## ${suite.title}\n\n${table}`);
    sections.push(`## ${suite.title}\n\n${table}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[${suite.id}] failed: ${message}`);
    sections.push(`## ${suite.title}\n\nThe suite failed in this run: ${message}\n`);
    failedTargets++;
  } finally {
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
  }
}

if (!values["no-write"] && !values.quick) {
  const path = `${ROOT}docs/performance.md`;
  await Deno.writeTextFile(path, await renderPage(sections));
  // In the project's own format, so `deno task ok` (fmt --check) passes on the new page.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", `--config=${ROOT}deno.json`, path],
  }).output();
  console.error(`wrote ${path}`);
}
Deno.exit(failedTargets > 0 ? 1 : 0);

function fmt(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(2);
}

function renderTable(rows: BenchRow[]): string {
  const lines = [
    "| measurement | value | reference | ratio | target | met |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const ref = r.reference ? `${r.reference.name}: ${fmt(r.reference.value)} ${r.unit}` : "";
    const ratio = r.reference && r.reference.value > 0
      ? `${fmt(r.value / r.reference.value)}x`
      : "";
    const met = r.pass === undefined ? "" : r.pass ? "yes" : "**no**";
    const note = r.note ? ` (${r.note})` : "";
    lines.push(
      `| ${r.name}${note} | ${fmt(r.value)} ${r.unit} | ${ref} | ${ratio} | ${
        r.target ?? ""
      } | ${met} |`,
    );
  }
  return lines.join("\n") + "\n";
}

async function renderPage(sections: string[]): Promise<string> {
  const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
    .match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  return [
    "# Performance",
    "",
    "Written by `deno task bench` (do not edit by hand). Every figure is measured in the same run",
    "as its reference, on the machine below; compare ratios, not absolute times, across machines.",
    "",
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Machine: ${navigator.hardwareConcurrency} cores, ${cpu}`,
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}`,
    "",
    ...sections,
    NOTES,
  ].join("\n");
}
