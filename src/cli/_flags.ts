/**
 * Reading flags: env fallbacks, repeatable options and validated numbers.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";

/** A flag, else its env var, else undefined (flags > env > defaults). */
export function fromEnv(flag: string | undefined, envVar: string): string | undefined {
  if (flag !== undefined) return flag;
  const value = Deno.env.get(envVar);
  return value === undefined || value === "" ? undefined : value;
}

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A whole number of at least `min`, or `fallback` when absent; else a `UsageError`. */
export function intFlag(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new UsageError(`Invalid ${flag} "${text}": give a whole number of at least ${min}`);
  }
  return n;
}

/** A positive number, or undefined when absent; else a `UsageError`. */
export function numFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`Invalid ${flag} "${text}": give a positive number`);
  }
  return n;
}

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
  const timeout = numFlag("--timeout", flags.timeout);
  return {
    maxParallel: intFlag("--max-parallel", fromEnv(flags.maxParallel, "RLM_MAX_PARALLEL"), 8, 1),
    maxChildChars: intFlag("--max-child-chars", flags.maxChildChars, 400_000, 1),
    maxCostUsd: numFlag("--max-cost", flags.maxCost),
    maxLlmCalls: flags.maxLlmCalls === undefined
      ? undefined
      : intFlag("--max-llm-calls", flags.maxLlmCalls, 0, 1),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  };
}
