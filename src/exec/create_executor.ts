/**
 * Build the executor a run asked for (`--executor`, `RLM_EXECUTOR`).
 *
 * @module
 */
import type { ResultStore } from "../cache/store.ts";
import type { OpPorts } from "../ops/types.ts";
import type { SandboxLimits } from "../sandbox/sandbox_limits.ts";
import { UsageError } from "../protocol/errors.ts";
import type { Executor } from "./executor.ts";
import { createLocalExecutor } from "./local/local_executor.ts";
import { createNixExecutor } from "./nix/nix_executor.ts";

/** The executors there are. */
export const EXECUTOR_NAMES = ["local", "nix"] as const;

/** What every executor may use. */
export interface CreateExecutorOptions {
  /**
   * The result store: the local executor's cache, and the nix executor's for `eval` outside Nix;
   * none means `--no-cache`.
   */
  store?: ResultStore;
  /** The cache directory (the Nix executor keeps its index and GC roots there). */
  cacheDir?: string;
  /** The sandbox for `eval`. */
  ports?: OpPorts;
  /** A WASI python.wasm, its stdlib and the eval limits: the nix executor runs eval in Nix. */
  wasiPython?: { wasm: string; stdlib?: string; limits: SandboxLimits };
}

/** Create the executor called `name`; an unknown name is a `UsageError`. */
export function createExecutor(name: string, options: CreateExecutorOptions): Promise<Executor> {
  switch (name) {
    case "local":
      return Promise.resolve(createLocalExecutor({ store: options.store, ports: options.ports }));
    case "nix":
      if (options.cacheDir === undefined) {
        throw new UsageError(
          "The nix executor keeps its index in the cache directory: drop --no-cache or set --cache-dir",
        );
      }
      return createNixExecutor({
        cacheDir: options.cacheDir,
        store: options.store,
        ports: options.ports,
        wasiPython: options.wasiPython,
      });
    default:
      throw new UsageError(
        `Unknown executor "${name}": use ${EXECUTOR_NAMES.map((n) => `"${n}"`).join(" or ")}`,
      );
  }
}
