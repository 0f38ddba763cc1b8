/**
 * A counting semaphore: at most N tasks in flight (`--max-parallel`, across the whole tree).
 *
 * @module
 */

/** Runs tasks with at most `limit` in flight, first come first served. */
export class Limiter {
  #active = 0;
  readonly #queue: (() => void)[] = [];
  readonly limit: number;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`Limiter needs a limit of at least 1, got ${limit}`);
    }
    this.limit = limit;
  }

  /** Run `task` when a slot is free; a signal aborted while waiting rejects without running it. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener("abort", cancel);
          resolve();
        };
        const cancel = () => {
          const i = this.#queue.indexOf(go);
          if (i !== -1) this.#queue.splice(i, 1);
          reject(signal?.reason ?? new Error("Cancelled"));
        };
        if (signal?.aborted) return cancel();
        signal?.addEventListener("abort", cancel, { once: true });
        this.#queue.push(go);
      });
      // The slot was handed over by the task that finished: #active already counts it.
    } else {
      this.#active++;
    }
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
