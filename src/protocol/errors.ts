/**
 * Errors that callers catch to decide what to do, and that `main.ts` maps to exit codes.
 *
 * @module
 */

/** Bad usage or bad input from the user (missing file, malformed plan...): exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** A run budget ran out (docs/how-to/budgets.md): exit code 3. `partial` is the best answer, if any. */
export class BudgetExceededError extends Error {
  /** Which budget: `cost`, `llm_calls`, `timeout`, or `turns` (the root never gave a final answer). */
  readonly budget: "cost" | "llm_calls" | "timeout" | "turns";
  /** The best partial answer the root gave, if any. */
  readonly partial?: string;

  constructor(
    budget: "cost" | "llm_calls" | "timeout" | "turns",
    message: string,
    options?: ErrorOptions & { partial?: string },
  ) {
    super(message, options);
    this.name = "BudgetExceededError";
    this.budget = budget;
    this.partial = options?.partial;
  }
}

/**
 * A failure of the machinery rather than of the model's step: a broken sandbox, a failed Nix
 * build, a context file that changed under the run, an unreachable provider. It is never handed
 * back to the model as its mistake; the run ends with exit code 1. `component` says which part
 * failed, for messages and traces.
 */
export class InfrastructureError extends Error {
  /** Which part failed: `sandbox`, `nix`, `context`, `provider`, `cache`, ... */
  readonly component: string;

  constructor(component: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InfrastructureError";
    this.component = component;
  }
}
