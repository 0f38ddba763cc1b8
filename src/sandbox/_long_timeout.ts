/**
 * A timer for any delay: `setTimeout` fires at once for delays past 2^31 - 1 ms (about 24.8
 * days), so longer ones are waited for in steps.
 *
 * @module
 */

/** The longest delay `setTimeout` takes. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Call `fn` after `ms` milliseconds (any finite or infinite delay); `clear()` cancels it. */
export function longTimeout(fn: () => void, ms: number): { clear(): void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  let cleared = false;
  const due = Date.now() + ms;
  const arm = () => {
    const left = due - Date.now();
    if (left <= MAX_TIMER_MS) id = setTimeout(() => !cleared && fn(), Math.max(0, left));
    else id = setTimeout(arm, MAX_TIMER_MS);
  };
  if (ms !== Infinity) arm();
  return {
    clear() {
      cleared = true;
      if (id !== undefined) clearTimeout(id);
    },
  };
}
