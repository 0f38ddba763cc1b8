/**
 * Typed failures of an evaluation. Each is an error for the model (the run goes on), except
 * `SandboxRuntimeError`, which means the sandbox itself is broken.
 *
 * @module
 */

/** Any failure of an evaluation. */
export class SandboxError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SandboxError";
  }
}

/** The code does not parse; `line` is 1-based. */
export class SandboxSyntaxError extends SandboxError {
  readonly line?: number;
  constructor(message: string, line?: number) {
    super(message);
    this.name = "SandboxSyntaxError";
    this.line = line;
  }
}

/** The code raised an exception; the message ends with the traceback's tail. */
export class SandboxExceptionError extends SandboxError {
  override name = "SandboxExceptionError";
}

/** The code ran past its wall-time limit and was killed. */
export class SandboxTimeoutError extends SandboxError {
  override name = "SandboxTimeoutError";
}

/** The code ran out of its memory limit. */
export class SandboxMemoryError extends SandboxError {
  override name = "SandboxMemoryError";
}

/** The code printed (or returned) more than the output limit. */
export class SandboxOutputError extends SandboxError {
  override name = "SandboxOutputError";
}

/** The sandbox itself failed (could not start, crashed): not the model's fault. */
export class SandboxRuntimeError extends SandboxError {
  override name = "SandboxRuntimeError";
}
