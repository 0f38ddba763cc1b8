/**
 * The error an op raises for bad input; its message is shown to the model or the user.
 *
 * @module
 */

/** A model- and user-facing op failure: which op, which arg, and why. */
export class OpError extends Error {
  /** The op that failed. */
  readonly op: string;
  /** The arg at fault, if one is. */
  readonly arg?: string;

  constructor(op: string, arg: string | undefined, reason: string, options?: ErrorOptions) {
    super(arg === undefined ? `${op}: ${reason}` : `${op}: arg "${arg}": ${reason}`, options);
    this.name = "OpError";
    this.op = op;
    this.arg = arg;
  }
}
