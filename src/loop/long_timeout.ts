/**
 * A timer for any delay: `setTimeout` fires at once for delays above 2^31 - 1 ms (24.8 days),
 * so a longer one is a chain of shorter ones.
 *
 * @module
 */

/** The longest delay one `setTimeout` honours, in milliseconds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A running long timer; `clear()` stops it. */
export interface LongTimeout {
  clear(): void;
}

/**
 * Call `fn` once, after `ms` milliseconds, for any finite `ms` (a chain of timers when `ms`
 * exceeds what one `setTimeout` honours).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const timer = setLongTimeout(() => {}, 40 * 24 * 3600 * 1000); // 40 days
 * timer.clear();
 * assertEquals(typeof timer.clear, "function");
 * ```
 */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid timer delay ${ms} ms`);
  const due = performance.now() + ms;
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const left = due - performance.now();
    if (left <= 0) return fn();
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  timer = setTimeout(arm, Math.min(ms, MAX_TIMER_MS));
  return { clear: () => clearTimeout(timer) };
}
