/**
 * The flags of every command that runs ops (`rlm run`, `rlm exec`), read into the options of
 * `defaultPorts()`, which builds the store, the sandbox, the executor and the model port.
 *
 * @module
 */
import type { Command } from "commander";
import { resolveCacheDir } from "../cache/cache_dir.ts";
import {
  defaultPorts,
  type DefaultPortsOptions,
  type EvalPortOptions,
  type Ports,
} from "../loop/default_ports.ts";
import { sandboxLimits } from "../sandbox/sandbox_limits.ts";
import { parseWasiEngine } from "../sandbox/wasi_engine.ts";
import { fromEnv } from "./_flags.ts";

/** Flags every command that runs ops takes (commander's names). */
export interface PortFlags {
  executor?: string;
  cacheDir?: string;
  cache: boolean;
  eval: boolean;
  evalTimeout?: string;
  evalMemory?: string;
  evalMaxOutput?: string;
  wasmPython?: string;
}

/** What the flags ask of the ports, read and checked before anything is opened. */
export interface PortChoices {
  /** `--executor` / `RLM_EXECUTOR`. */
  executor: string;
  /** `--no-cache` turns it off. */
  cache: boolean;
  /** `--cache-dir` / `RLM_CACHE_DIR`, as given. */
  cacheDir?: string;
  /** The sandbox for `eval`; none with `--no-eval`. */
  eval?: EvalPortOptions;
}

/** The choices from flags, env vars and defaults (flags > env > defaults). */
export function portChoices(flags: PortFlags): PortChoices {
  const limits = sandboxLimits({
    timeout: flags.evalTimeout,
    memory: flags.evalMemory,
    maxOutput: flags.evalMaxOutput,
  });
  const wasiEngine = parseWasiEngine(Deno.env.get("RLM_WASI_ENGINE"));
  return {
    executor: fromEnv(flags.executor, "RLM_EXECUTOR") ?? "local",
    cache: flags.cache,
    cacheDir: fromEnv(flags.cacheDir, "RLM_CACHE_DIR"),
    eval: flags.eval
      ? { limits, wasmPython: fromEnv(flags.wasmPython, "RLM_WASM_PYTHON"), wasiEngine }
      : undefined,
  };
}

/**
 * Build the ports for `choices` (the cache directory resolved now) and the models of `run`.
 */
export function openPorts(
  choices: PortChoices,
  run: Pick<DefaultPortsOptions, "models" | "baseUrl" | "onRetry">,
): Promise<Ports> {
  return defaultPorts({
    ...run,
    executor: choices.executor,
    cacheDir: choices.cache ? resolveCacheDir(choices.cacheDir) : undefined,
    eval: choices.eval,
  });
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
