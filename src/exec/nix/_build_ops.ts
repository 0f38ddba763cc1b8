/**
 * The derivations of a graph of ops: one per op, an op that reads another op's result taking
 * that op's derivation as its input, realised in one round (`realiseBatch`).
 *
 * @module
 */
import { hashKey } from "../../cache/hash.ts";
import { opEffect } from "../../ops/op_effect.ts";
import type { Operation } from "../../ops/operation.ts";
import type { Binding } from "../../protocol/value.ts";
import type { SandboxLimits } from "../../sandbox/sandbox_limits.ts";
import { denoBuilderAttrs, V8_FLAGS } from "./_deno_builder.ts";
import { nixString } from "./_nix_cli.ts";
import { type BuildResult, type OpDerivation, realiseBatch } from "./_realise.ts";
import type { BuilderPaths } from "./_setup.ts";

/** A node of a graph to build: the values known before the build, and the nodes it reads. */
export interface GraphJob {
  /** Index of the node in the graph. */
  node: number;
  op: Operation;
  /** The cache key, when every input was known before the build. */
  key?: string;
  vars: ReadonlyMap<string, Binding>;
  /** Inputs that other nodes of the graph produce (built in the same round): name → node. */
  pending: ReadonlyMap<string, number>;
}

/**
 * Build the derivations of `jobs` (in dependency order); per job, its output or an error. A
 * job's input that another job produces is that job's derivation itself, so Nix builds the
 * chain in one round, in order, and independent jobs in parallel.
 */
export async function buildOps(
  jobs: readonly GraphJob[],
  paths: BuilderPaths,
  settings: {
    /** Store path of every value a job reads (by hash). */
    valuePaths: ReadonlyMap<string, string>;
    maxJobs: number;
    /** The limits of sandbox ops (eval), when they run in Nix. */
    sandboxLimits?: SandboxLimits;
  },
): Promise<BuildResult[]> {
  const { sandboxLimits, valuePaths } = settings;
  const jobOf = new Map(jobs.map((job, j) => [job.node, j]));
  const tags: string[] = [];
  const derivations = jobs.map((job, j): OpDerivation => {
    const upstream = [...job.pending].map(([name, u]) => [name, jobOf.get(u) as number] as const);
    // The key in the name lets a build log say which ops were really built (the others were
    // hits). A job whose key is not known yet has a tag made the same way from what it reads:
    // the hashes of known values and the tags of the jobs it reads.
    tags[j] = job.key ?? hashKey({
      op: job.op.op,
      args: job.op.args,
      inputs: Object.fromEntries([...job.vars].map(([name, b]) => [name, b.hash])),
      upstream: Object.fromEntries(upstream.map(([name, u]) => [name, tags[u]])),
    });
    const name = `rlm-op-${job.op.op}-${tags[j].slice(0, 32)}`;
    const inputs = [
      ...[...job.vars].map(([name, b]) =>
        `${nixString(name)} = builtins.storePath ${nixString(valuePaths.get(b.hash) as string)};`
      ),
      ...upstream.map(([name, u]) => `${nixString(name)} = op${u};`),
    ];
    const sandboxed = opEffect(job.op) === "sandbox";
    if (sandboxed && sandboxLimits === undefined) {
      throw new Error(`op ${job.op.op} needs the sandbox, which this Nix executor lacks`);
    }
    const limits = sandboxed ? sandboxLimits : undefined;
    const flags = limits
      ? `${V8_FLAGS},--wasm-max-mem-pages=${Math.floor(limits.memoryMb * 16)}`
      : V8_FLAGS;
    const sandboxAttrs = limits
      ? `python_wasm = pythonWasm; python_stdlib = ${
        paths.python?.stdlib ? "pythonStdlib" : '""'
      }; sandbox_memory_mb = "${limits.memoryMb}"; sandbox_max_output = "${limits.maxOutputBytes}";`
      : "";
    return {
      name,
      op: job.op.op,
      sandboxed,
      upstream: upstream.map(([, u]) => u),
      expr: `derivation {
    name = ${nixString(name)};
    system = builtins.currentSystem;
    ${denoBuilderAttrs("deno", sandboxed ? "sandboxBuilderJs" : "builderJs", flags)}
    ${sandboxAttrs}
    op = ${nixString(JSON.stringify({ op: job.op.op, args: job.op.args }))};
    inputs = builtins.toJSON { ${inputs.join(" ")} };
  }`,
    };
  });
  const prelude = `let
  deno = builtins.storePath ${nixString(paths.deno)};
  builderJs = builtins.storePath ${nixString(paths.builder)};
  ${paths.python ? `pythonWasm = builtins.storePath ${nixString(paths.python.wasm)};` : ""}
  ${
    paths.python?.stdlib
      ? `pythonStdlib = builtins.storePath ${nixString(paths.python.stdlib)};`
      : ""
  }
  ${paths.python ? `sandboxBuilderJs = builtins.storePath ${nixString(paths.python.builder)};` : ""}
in`;
  return await realiseBatch(derivations, {
    maxJobs: settings.maxJobs,
    sandboxLimits,
    prelude,
    hook: paths.hook,
  });
}
