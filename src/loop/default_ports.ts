/**
 * `defaultPorts()`: the one place where a run's effects are built (the model port, the cache,
 * the Python sandbox and the executor) and released together. `rlm run`, `rlm exec`,
 * `rlm bench` and library users call it; `rlm()` fills what a caller leaves out from it.
 *
 * @module
 */
import { openFileStore } from "../cache/file_store.ts";
import type { ResultStore } from "../cache/store.ts";
import { createExecutor } from "../exec/create_executor.ts";
import type { Executor } from "../exec/executor.ts";
import { NixResultStore } from "../exec/nix/nix_result_store.ts";
import { openModel } from "../llm/open_model.ts";
import type { ModelPort } from "../llm/port.ts";
import type { SandboxPort } from "../protocol/ports.ts";
import { createSandbox, type Sandbox } from "../sandbox/create_sandbox.ts";
import type { SandboxLimits } from "../sandbox/sandbox_limits.ts";
import { findWasiStdlib } from "../sandbox/wasi_sandbox.ts";
import type { WasiEngineChoice } from "../sandbox/wasi_engine.ts";
import { DEFAULTS } from "./defaults.ts";

/** The effects `rlm()` and plan sub-calls use. */
export interface RlmPorts {
  /** Answers chat requests for every model of the run (root and children). */
  modelPort?: ModelPort;
  /** Where pure ops run. */
  executor?: Executor;
  /** The cache for op results and model calls; none means no caching. */
  store?: ResultStore;
  /** The Python sandbox for `eval`; none means `eval` is not offered. */
  sandbox?: SandboxPort;
}

/** The Python sandbox `eval` runs in. */
export interface EvalPortOptions {
  limits: SandboxLimits;
  /** A WASI python.wasm instead of the embedded Pyodide (`--wasm-python`). */
  wasmPython?: string;
  /** Which engine runs `wasmPython` (`RLM_WASI_ENGINE`); default `auto`. */
  wasiEngine?: WasiEngineChoice;
}

/** Options of `defaultPorts`. */
export interface DefaultPortsOptions {
  /**
   * The models the run will ask (root and child); their keys and endpoints are checked now.
   * An empty list builds no model port (a plan of pure ops).
   * @default {[DEFAULTS.model]}
   */
  models?: readonly string[];
  /** `--base-url`: one OpenAI-compatible endpoint for every model; gets only `OPENAI_API_KEY`. */
  baseUrl?: string;
  /** Called before each retry of a model call, for progress. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /**
   * Where pure ops run: `local` or `nix` (`--executor`).
   * @default {"local"}
   */
  executor?: string;
  /**
   * The cache directory (already resolved); none means no cache (`--no-cache`).
   * @default {undefined}
   */
  cacheDir?: string;
  /** A cache to use instead of one in `cacheDir`. */
  store?: ResultStore;
  /**
   * The sandbox for `eval`; none means `eval` is not offered (`--no-eval`).
   * @default {undefined}
   */
  eval?: EvalPortOptions;
  /** A sandbox to use instead of building one from `eval`. */
  sandbox?: SandboxPort;
}

/** The ports, built. */
export interface Ports extends RlmPorts {
  readonly executor: Executor;
  /** Built from `eval`, with its description (for `-v`); or the sandbox that was given. */
  readonly sandbox?: Sandbox | SandboxPort;
  /** The cache directory in use, if any. */
  readonly cacheDir?: string;
}

/**
 * Build the ports a run needs. The cache lives in the Nix store under the nix executor and in
 * files otherwise; the model port is built last, so a missing key is reported only once the
 * rest is known to be good (docs/reference/cli.md).
 *
 * @example
 * ```ts
 * import { defaultPorts, rlm } from "../../mod.ts";
 * const ports = await defaultPorts({ models: ["gpt-5-mini"], cacheDir: "/tmp/rlm-cache" });
 * const { answer } = await rlm({ query: "How many requests timed out?", context: "...", ...ports });
 * ```
 */
export async function defaultPorts(options: DefaultPortsOptions = {}): Promise<Ports> {
  const executorName = options.executor ?? "local";
  const { cacheDir } = options;
  // Under the nix executor every result lives in the Nix store; otherwise in the file store.
  const store = options.store ??
    (cacheDir === undefined
      ? undefined
      : executorName === "nix"
      ? new NixResultStore(cacheDir)
      : await openFileStore(cacheDir));
  const sandbox = options.sandbox ?? await openSandbox(options.eval, cacheDir);
  const executor = await createExecutor(executorName, {
    store,
    cacheDir,
    ports: { sandbox },
    wasiPython: sandbox && options.eval?.wasmPython
      ? {
        wasm: options.eval.wasmPython,
        stdlib: await findWasiStdlib(options.eval.wasmPython),
        limits: options.eval.limits,
      }
      : undefined,
  });
  const models = options.models ?? [DEFAULTS.model];
  const modelPort = models.length === 0
    ? undefined
    : await openModel(models, { baseUrl: options.baseUrl, onRetry: options.onRetry });
  return {
    modelPort,
    store,
    sandbox,
    executor,
    cacheDir,
  };
}

function openSandbox(
  options: EvalPortOptions | undefined,
  cacheDir: string | undefined,
): Promise<Sandbox | undefined> {
  if (options === undefined) return Promise.resolve(undefined);
  return createSandbox({
    enabled: true,
    limits: options.limits,
    wasmPython: options.wasmPython,
    wasiEngine: options.wasiEngine,
    snapshotDir: cacheDir === undefined ? undefined : `${cacheDir}/sandbox`,
  });
}
