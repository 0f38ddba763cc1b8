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
import type { SandboxPort } from "../ops/types.ts";
import { createSandbox } from "../sandbox/create_sandbox.ts";
import { findWasiStdlib } from "../sandbox/wasi_sandbox.ts";
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
  eval: { enabled: boolean; limits: SandboxLimits; wasmPython?: string };
}

/** The parts of a run that outlive one plan. */
export interface Runtime extends AsyncDisposable {
  readonly store?: ResultStore;
  readonly executor: Executor;
  readonly sandbox?: SandboxPort;
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
        stdlib: (await findWasiStdlib(options.eval.wasmPython)) as string,
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
