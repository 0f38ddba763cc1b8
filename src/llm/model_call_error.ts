/**
 * `ModelCallError`: a model call that failed for good.
 *
 * @module
 */
import { InfrastructureError } from "../protocol/errors.ts";

/**
 * A model call that failed for good: after retries, or refused by the endpoint. It is an
 * `InfrastructureError` (component `provider`): it ends the run, wherever in the tree it happens.
 */
export class ModelCallError extends InfrastructureError {
  /** HTTP status, if the endpoint answered. */
  readonly status?: number;
  constructor(message: string, options?: ErrorOptions & { status?: number }) {
    super("provider", message, options);
    this.name = "ModelCallError";
    this.status = options?.status;
  }
}
