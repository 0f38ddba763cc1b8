/**
 * What `rlm run` and `rlm exec` share: the store, the sandbox and the executor, built from
 * the options that concern them, and released together.
 *
 * @module
 */
import { resolveCacheDir } from "../cache/cache_dir.ts";
import { openFileStore } from "../cache/file_store.ts";
import { NixResultStore } from "../exec/nix/nix_result_store.ts";
import type { ResultStore } from "../cache/store.ts";
import { createExecutor } from "../exec/create_executor.ts";
import type { Executor } from "../exec/executor.ts";
import type { Command } from "commander";
import { createSandbox, type Sandbox } from "../sandbox/create_sandbox.ts";
import { sandboxLimits } from "../sandbox/sandbox_limits.ts";
import { fromEnv } from "./_flags.ts";
import { findWasiStdlib } from "../sandbox/wasi_sandbox.ts";
import { parseWasiEngine, type WasiEngineChoice } from "../sandbox/wasi_engine.ts";
import type { SandboxLimits } from "../sandbox/sandbox_limits.ts";

/** Options shared by every command that runs ops. */
export interface RuntimeOptions {
  /** `--executor` / `RLM_EXECUTOR`. */
  executor: string;
  /** `--cache-dir` / `RLM_CACHE_DIR`. */
  cacheDir?: string;
  /** `--no-cache`: no store at all. */
  cache: boolean;
  /** Whether `eval` is on (`--no-eval` turns it off), and its limits. */
  eval: {
    enabled: boolean;
    limits: SandboxLimits;
    wasmPython?: string;
    /** `RLM_WASI_ENGINE`: which engine runs `wasmPython` (default `auto`). */
    wasiEngine?: WasiEngineChoice;
  };
}

/** The parts of a run that outlive one plan. */
export interface Runtime extends AsyncDisposable {
  readonly store?: ResultStore;
  readonly executor: Executor;
  readonly sandbox?: Sandbox;
  readonly cacheDir?: string;
}

/** Build the store and executor for `options`; dispose the result when done. */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const cacheDir = options.cache ? resolveCacheDir(options.cacheDir) : undefined;
  // Under the nix executor every result lives in the Nix store; otherwise in the file store.
  const store = cacheDir === undefined
    ? undefined
    : options.executor === "nix"
    ? new NixResultStore(cacheDir)
    : await openFileStore(cacheDir);
  const sandbox = await createSandbox({
    enabled: options.eval.enabled,
    limits: options.eval.limits,
    wasmPython: options.eval.wasmPython,
    wasiEngine: options.eval.wasiEngine,
    snapshotDir: cacheDir === undefined ? undefined : `${cacheDir}/sandbox`,
  });
  const executor = await createExecutor(options.executor, {
    store,
    cacheDir,
    cache: options.cache,
    ports: { sandbox },
    wasiPython: sandbox && options.eval.wasmPython
      ? {
        wasm: options.eval.wasmPython,
        stdlib: await findWasiStdlib(options.eval.wasmPython),
        limits: options.eval.limits,
      }
      : undefined,
  });
  return {
    store,
    executor,
    sandbox,
    cacheDir,
    async [Symbol.asyncDispose]() {
      await executor.close?.();
    },
  };
}

/** Flags every command that runs ops takes (commander's names). */
export interface RuntimeFlags {
  executor?: string;
  cacheDir?: string;
  cache: boolean;
  eval: boolean;
  evalTimeout?: string;
  evalMemory?: string;
  evalMaxOutput?: string;
  wasmPython?: string;
}

/** `RuntimeOptions` from flags, env vars and defaults (flags > env > defaults). */
export function runtimeOptions(flags: RuntimeFlags): RuntimeOptions {
  return {
    executor: fromEnv(flags.executor, "RLM_EXECUTOR") ?? "local",
    cacheDir: fromEnv(flags.cacheDir, "RLM_CACHE_DIR"),
    cache: flags.cache,
    eval: {
      enabled: flags.eval,
      limits: sandboxLimits({
        timeout: flags.evalTimeout,
        memory: flags.evalMemory,
        maxOutput: flags.evalMaxOutput,
      }),
      wasmPython: fromEnv(flags.wasmPython, "RLM_WASM_PYTHON"),
      wasiEngine: parseWasiEngine(Deno.env.get("RLM_WASI_ENGINE")),
    },
  };
}

/** Add the `eval` options to a command. */
export function withEvalOptions(command: Command): Command {
  return command
    .option(
      "--wasm-python <path>",
      "a WASI python.wasm for eval instead of the embedded Pyodide [RLM_WASM_PYTHON]",
    )
    .option("--no-eval", "remove eval (Python in the WebAssembly sandbox) from the DSL")
    .option("--eval-timeout <sec>", "wall time of one eval [RLM_EVAL_TIMEOUT] (default: 10)")
    .option("--eval-memory <mb>", "memory of one eval [RLM_EVAL_MEMORY_MB] (default: 512)")
    .option(
      "--eval-max-output <bytes>",
      "output of one eval [RLM_EVAL_MAX_OUTPUT] (default: 1048576)",
    );
}
