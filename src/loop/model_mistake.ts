/**
 * Which failures of a step are the model's own mistakes (they go back to the model, which tries
 * again) and which are failures of the machinery (they end the run with exit code 1).
 *
 * @module
 */
import { OpError } from "../ops/op_error.ts";
import { InfrastructureError } from "../protocol/errors.ts";
import { SandboxError, SandboxRuntimeError } from "../protocol/sandbox_errors.ts";

/** How deep a chain of causes is followed. */
const MAX_CAUSES = 32;

/**
 * Whether `error` is the model's mistake: a malformed step or plan, a bad op argument, a missing
 * variable (`OpError`), or its eval code failing (a Python exception, a time, memory or output
 * limit: a `SandboxError`). Anything with an `InfrastructureError` or a `SandboxRuntimeError`
 * in its chain of causes is not, nor is anything else (a Nix build that failed, a context file
 * that changed, a provider that cannot be reached).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { OpError } from "../ops/op_error.ts";
 * assertEquals(isModelMistake(new OpError("grep", "pattern", "is empty")), true);
 * assertEquals(isModelMistake(new Error("The Nix build of op grep failed")), false);
 * ```
 */
export function isModelMistake(error: unknown): boolean {
  if (!(error instanceof OpError || error instanceof SandboxError)) return false;
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < MAX_CAUSES; depth++) {
    if (e instanceof InfrastructureError || e instanceof SandboxRuntimeError) return false;
    e = e.cause;
  }
  return true;
}

/**
 * `error` as an `InfrastructureError` (itself if it is one), with the component that failed
 * when one is known from its causes.
 */
export function asInfrastructure(error: unknown): InfrastructureError {
  if (error instanceof InfrastructureError) return error;
  let component = "run";
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < MAX_CAUSES; depth++) {
    if (e instanceof InfrastructureError) {
      component = e.component;
      break;
    }
    if (e instanceof SandboxRuntimeError) {
      component = "sandbox";
      break;
    }
    e = e.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InfrastructureError(component, message, { cause: error });
}
