/**
 * Realising a batch of op derivations: the Nix invocations, and what became of each derivation.
 *
 * @module
 */
import { OpError } from "../../ops/op_error.ts";
import type { SandboxLimits } from "../../sandbox/sandbox_limits.ts";
import { decodeOutcome } from "./_outcome.ts";
import { nix, tail } from "./_nix_cli.ts";

/** One op derivation to realise. */
export interface OpDerivation {
  /** The derivation's name (it carries the op's cache key). */
  name: string;
  /**
   * The `derivation { ... }` expression, over the names `prelude` binds and `op<k>`, the
   * derivation at index `k` of the batch, for each `k` in `upstream`.
   */
  expr: string;
  /** Indices in the batch of the derivations whose outputs this one takes as inputs. */
  upstream: readonly number[];
  /** The op, for error messages. */
  op: string;
  /** Whether the op's effect is `sandbox`: its build runs under `sandboxLimits`. */
  sandboxed: boolean;
}

/** What became of a derivation: its output, or why there is none. */
export type BuildResult = {
  path: string;
  outcome: NonNullable<ReturnType<typeof decodeOutcome>>;
  /** Whether the output was in the store already (no build). */
  cached: boolean;
} | Error;

/** How to realise a batch. */
export interface RealiseOptions {
  /** `let ... in` binding the names the derivations use. */
  prelude: string;
  /** Builds at once, in all. */
  maxJobs: number;
  /** The build hook to pass (see `_setup.ts`). */
  hook: string;
  /** The limits of sandbox ops (eval), when their derivations are in the batch. */
  sandboxLimits?: SandboxLimits;
}

/**
 * Realise `drvs`; per derivation, its output or an error. Nix's build loop is one thread per
 * invocation, and each build costs it about as much serial work (sandbox set-up, output
 * registration) as a short op's builder itself, so one `nix-build` keeps about one build
 * running whatever `--max-jobs` says (measured: 2 builds at once 4% of the time). A batch
 * therefore goes to several `nix-build`s at once, `maxJobs / 2` of them with two jobs each.
 *
 * Derivations that depend on each other (a chain of ops) go to the same `nix-build`: one that
 * needs a derivation another `nix-build` is building waits for its lock, and Nix 2.8 looks
 * again only every `poll-interval` (5 s). So the batch is split by connected component, the
 * largest first, each to the `nix-build` with the fewest derivations so far.
 */
export async function realiseBatch(
  drvs: readonly OpDerivation[],
  options: RealiseOptions,
): Promise<BuildResult[]> {
  const components = connectedComponents(drvs).sort((a, b) => b.length - a.length);
  const procs = Math.max(1, Math.min(components.length, Math.floor(options.maxJobs / 2)));
  const groups: number[][] = Array.from({ length: procs }, () => []);
  for (const component of components) {
    const smallest = groups.reduce((m, g) => (g.length < m.length ? g : m));
    for (const d of component) smallest.push(d);
  }
  const results: BuildResult[] = new Array(drvs.length);
  await Promise.all(groups.map(async (group) => {
    group.sort((a, b) => a - b);
    const done = await realise(drvs, group, {
      ...options,
      maxJobs: Math.max(1, Math.round(options.maxJobs / procs)),
    });
    group.forEach((k, j) => (results[k] = done[j]));
  }));
  return results;
}

/**
 * The batch's derivations grouped by the `upstream` links between them (indices); derivations of
 * the same name (the same op twice) are linked too, as one of them waits for the other's lock.
 */
function connectedComponents(drvs: readonly OpDerivation[]): number[][] {
  const parent = drvs.map((_, k) => k);
  const root = (k: number): number => (parent[k] === k ? k : (parent[k] = root(parent[k])));
  const named = new Map<string, number>();
  drvs.forEach((d, k) => {
    d.upstream.forEach((u) => (parent[root(u)] = root(k)));
    const same = named.get(d.name);
    if (same === undefined) named.set(d.name, k);
    else parent[root(same)] = root(k);
  });
  const byRoot = new Map<number, number[]>();
  drvs.forEach((_, k) => {
    const component = byRoot.get(root(k));
    if (component) component.push(k);
    else byRoot.set(root(k), [k]);
  });
  return [...byRoot.values()];
}

/**
 * Realise the derivations `group` of `batch` (with everything they depend on) with one
 * `nix-build`; results in `group` order.
 */
async function realise(
  batch: readonly OpDerivation[],
  group: readonly number[],
  options: RealiseOptions,
): Promise<BuildResult[]> {
  const { sandboxLimits } = options;
  const drvs = group.map((k) => batch[k]);
  const expr = `${options.prelude} let\n${
    group.map((k) => `  op${k} = ${batch[k].expr};`).join("\n")
  }\nin [ ${group.map((k) => `op${k}`).join(" ")} ]`;
  // One nix-build instantiates, checks validity, and builds what is missing.
  const real = await nix("nix-build", [
    "--no-out-link",
    "--keep-going",
    "--max-jobs",
    String(options.maxJobs),
    // The wall-time limit of eval (plus start-up); no other op comes close to it.
    ...(sandboxLimits ? ["--timeout", String(Math.ceil(sandboxLimits.timeoutMs / 1000) + 3)] : []),
    "--expr",
    expr,
  ], {
    config: [
      `build-hook = ${options.hook}`,
      // No bzip2'd log file per build (~4% of a batch's CPU, measured): an op's builder prints
      // nothing unless it fails, and then its stderr tail is in nix-build's error, which rlm
      // reports.
      "keep-build-log = false",
    ],
  });
  const wasBuilt = (k: number) => real.stderr.includes(`${drvs[k].name}.drv`);
  const built = real.stdout.trim().split("\n");
  if (real.code === 0 && built.length === drvs.length) {
    const fast = await Promise.all(built.map(async (out, k) => {
      const outcome = decodeOutcome(await Deno.readFile(out));
      return outcome && { path: out, outcome, cached: !wasBuilt(k) };
    }));
    if (fast.every((r) => r !== undefined)) return fast as BuildResult[];
  }
  // Something failed: find out which ops have an output, and report the others.
  const inst = await nix("nix-instantiate", ["--expr", expr]);
  if (inst.code !== 0) {
    throw new Error(`Cannot instantiate the op derivations: ${tail(inst.stderr)}`);
  }
  const drvPaths = inst.stdout.trim().split("\n");
  const q = await nix("nix-store", ["--query", "--outputs", ...drvPaths]);
  if (q.code !== 0) throw new Error(`Cannot query the op derivations: ${tail(q.stderr)}`);
  const outs = q.stdout.trim().split("\n");
  return await Promise.all(drvs.map(async (d, k): Promise<BuildResult> => {
    const bytes = await Deno.readFile(outs[k]).catch(() => undefined);
    const outcome = bytes ? decodeOutcome(bytes) : undefined;
    if (outcome) return { path: outs[k], outcome, cached: !wasBuilt(k) };
    if (d.sandboxed && sandboxLimits && /timed out/.test(real.stderr)) {
      return new OpError(
        d.op,
        undefined,
        `the code ran longer than the ${sandboxLimits.timeoutMs / 1000} s limit and was stopped`,
      );
    }
    return new Error(`The Nix build of op ${d.op} (${drvPaths[k]}) failed: ${tail(real.stderr)}`);
  }));
}
