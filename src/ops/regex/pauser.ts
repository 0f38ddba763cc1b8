/**
 * Cooperative stopping for long scans: the run's deadline is a timer that aborts a signal, and
 * a timer only fires when the scan yields to the event loop.
 *
 * @module
 */
import { OpError } from "../op_error.ts";

/** How long a scan runs before it yields once, in ms. */
const SLICE_MS = 50;

/**
 * A function to await between blocks of work: every ~50 ms it yields to the event loop, and it
 * throws once `signal` is aborted (its reason, or an OpError naming `op`).
 *
 * @example
 * ```ts
 * import { pauser } from "./pauser.ts";
 * const pause = pauser(AbortSignal.timeout(1000), "grep");
 * for (let i = 0; i < 3; i++) await pause();
 * ```
 */
export function pauser(signal: AbortSignal | undefined, op: string): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last > SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
    if (signal?.aborted) {
      throw signal.reason ?? new OpError(op, "input", "the run was stopped before the scan ended");
    }
  };
}
