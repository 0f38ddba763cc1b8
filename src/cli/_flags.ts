/**
 * Reading flags: env fallbacks, repeatable options, validated numbers, names and paths. Every
 * bad value is a `UsageError` (exit 2) naming the flag or variable it came from.
 *
 * @module
 */
import { EXECUTOR_NAMES } from "../exec/create_executor.ts";
import { checkBaseUrl } from "../llm/providers.ts";
import { DEFAULTS } from "../loop/defaults.ts";
import { UsageError } from "../protocol/errors.ts";

/** A flag, else its env var, else undefined (flags > env > defaults). */
export function fromEnv(flag: string | undefined, envVar: string): string | undefined {
  return fromEnvNamed(flag, "", envVar).text;
}

/** A flag's text and the name to blame for it: the flag, or the env var it came from. */
export function fromEnvNamed(
  flag: string | undefined,
  name: string,
  envVar: string,
): { text: string | undefined; name: string } {
  if (flag !== undefined) return { text: flag, name };
  const value = Deno.env.get(envVar);
  return { text: value === undefined || value === "" ? undefined : value, name: envVar };
}

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * A whole number (decimal digits) from `min` to `max`, or `fallback` when absent; else a
 * `UsageError`.
 */
export function intFlag(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `Invalid ${flag} ${JSON.stringify(text)}: give a whole number from ${min} to ${max}`,
    );
  }
  return n;
}

/** A positive decimal number up to `max`, or undefined when absent; else a `UsageError`. */
export function numFlag(
  flag: string,
  text: string | undefined,
  max = 1e12,
): number | undefined {
  if (text === undefined) return undefined;
  const n = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(
      `Invalid ${flag} ${JSON.stringify(text)}: give a positive number of at most ${max}`,
    );
  }
  return n;
}

/** Largest `--timeout`, in seconds: a year. */
export const MAX_TIMEOUT_SEC = 365 * 24 * 3600;
/** Largest `--max-depth`. */
export const MAX_DEPTH = 10;
/** Largest `--max-explore` and `--max-commits`. */
export const MAX_STEPS = 1000;
/** Largest `--max-parallel`. */
export const MAX_PARALLEL = 256;
/** Largest `--max-child-chars` (V8 strings hold about 2^29 characters). */
export const MAX_CHILD_CHARS = 500_000_000;

/** The model-call limits `run` and `exec` share, from their flags (with env fallbacks). */
export function callLimits(flags: {
  maxParallel?: string;
  maxChildChars?: string;
  maxCost?: string;
  maxLlmCalls?: string;
  timeout?: string;
}): {
  maxParallel: number;
  maxChildChars: number;
  maxCostUsd?: number;
  maxLlmCalls?: number;
  timeoutMs?: number;
} {
  const timeout = numFlag("--timeout", flags.timeout, MAX_TIMEOUT_SEC);
  const parallel = fromEnvNamed(flags.maxParallel, "--max-parallel", "RLM_MAX_PARALLEL");
  return {
    maxParallel: intFlag(parallel.name, parallel.text, DEFAULTS.maxParallel, 1, MAX_PARALLEL),
    maxChildChars: intFlag(
      "--max-child-chars",
      flags.maxChildChars,
      DEFAULTS.maxChildChars,
      1,
      MAX_CHILD_CHARS,
    ),
    maxCostUsd: numFlag("--max-cost", flags.maxCost),
    maxLlmCalls: flags.maxLlmCalls === undefined
      ? undefined
      : intFlag("--max-llm-calls", flags.maxLlmCalls, 0, 1, 1_000_000_000),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  };
}

/** `--max-depth` (or `RLM_MAX_DEPTH`), from `min` (0 for `run`, 1 for `exec`). */
export function depthFlag(flag: string | undefined, min: number): number {
  const depth = fromEnvNamed(flag, "--max-depth", "RLM_MAX_DEPTH");
  return intFlag(depth.name, depth.text, DEFAULTS.maxDepth, min, MAX_DEPTH);
}

/** `--base-url` as given (an explicit endpoint), checked; undefined when absent. */
export function baseUrlFlag(flag: string | undefined): string | undefined {
  return flag === undefined ? undefined : checkBaseUrl(flag, "--base-url");
}

/** A model name from a flag or env var: not empty. */
export function modelFlag(flag: string | undefined, name: string, envVar: string) {
  const model = fromEnvNamed(flag, name, envVar);
  if (model.text !== undefined && model.text.trim() === "") {
    throw new UsageError(`Invalid ${model.name} "": give a model name such as ${DEFAULTS.model}`);
  }
  return model.text;
}

/** Largest `--eval-timeout`, in seconds: a day. */
export const MAX_EVAL_TIMEOUT_SEC = 24 * 3600;
/** Largest `--eval-memory`, in MB. */
export const MAX_EVAL_MEMORY_MB = 65_536;
/** Largest `--eval-max-output`, in bytes: 1 GiB. */
export const MAX_EVAL_OUTPUT = 1 << 30;

/**
 * The ranges of the eval limits (their meaning and defaults are the sandbox's): numbers past
 * them would overflow a timer or exceed what a process can hold.
 */
function checkEvalFlags(
  flags: { evalTimeout?: string; evalMemory?: string; evalMaxOutput?: string },
) {
  const timeout = fromEnvNamed(flags.evalTimeout, "--eval-timeout", "RLM_EVAL_TIMEOUT");
  numFlag(timeout.name, timeout.text, MAX_EVAL_TIMEOUT_SEC);
  const memory = fromEnvNamed(flags.evalMemory, "--eval-memory", "RLM_EVAL_MEMORY_MB");
  intFlag(memory.name, memory.text, 0, 1, MAX_EVAL_MEMORY_MB);
  const output = fromEnvNamed(flags.evalMaxOutput, "--eval-max-output", "RLM_EVAL_MAX_OUTPUT");
  intFlag(output.name, output.text, 0, 1, MAX_EVAL_OUTPUT);
}

/**
 * Check the flags every command that runs ops takes, before anything is read or opened:
 * `--executor` (or `RLM_EXECUTOR`) is `local` or `nix`; `--cache-dir` (or `RLM_CACHE_DIR`) is
 * not empty and names a directory or a path that can become one.
 */
export async function checkPortFlags(
  flags: {
    executor?: string;
    cacheDir?: string;
    cache: boolean;
    evalTimeout?: string;
    evalMemory?: string;
    evalMaxOutput?: string;
  },
): Promise<void> {
  checkEvalFlags(flags);
  const executor = fromEnvNamed(flags.executor, "--executor", "RLM_EXECUTOR");
  const names: readonly string[] = EXECUTOR_NAMES;
  if (executor.text !== undefined && !names.includes(executor.text)) {
    const from = executor.name === "RLM_EXECUTOR" ? " (from RLM_EXECUTOR)" : "";
    const use = names.map((name) => `"${name}"`).join(" or ");
    throw new UsageError(`Unknown executor "${executor.text}"${from}: use ${use}`);
  }
  const dir = fromEnvNamed(flags.cacheDir, "--cache-dir", "RLM_CACHE_DIR");
  if (!flags.cache || dir.text === undefined) return;
  if (dir.text.trim() === "") throw new UsageError(`Invalid ${dir.name} "": give a directory`);
  for (let path = dir.text;;) {
    const info = await Deno.stat(path).catch(() => undefined);
    if (info !== undefined) {
      if (info.isDirectory) return;
      throw new UsageError(
        `Invalid ${dir.name} ${JSON.stringify(dir.text)}: ${
          path === dir.text ? "it is" : `"${path}" is`
        } not a directory; give a directory`,
      );
    }
    const parent = path.replace(/\/+[^/]*\/*$/, "");
    if (parent === path || parent === "") return;
    path = parent;
  }
}
