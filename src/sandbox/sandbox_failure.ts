/**
 * The typed error for a failed evaluation, the same for every runtime (and for the Nix builder),
 * so that a failure reads the same wherever the code ran.
 *
 * @module
 */
import type { SandboxResponse } from "../protocol/sandbox.ts";
import {
  type SandboxError,
  SandboxExceptionError,
  SandboxMemoryError,
  SandboxOutputError,
  SandboxRuntimeError,
  SandboxSyntaxError,
} from "../protocol/sandbox_errors.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

/** The error for a failed response. */
export function sandboxFailure(
  response: Extract<SandboxResponse, { ok: false }>,
  limits: Pick<SandboxLimits, "memoryMb">,
): SandboxError {
  switch (response.kind) {
    case "syntax":
      return new SandboxSyntaxError(headline(response.message), response.line);
    case "memory":
      return new SandboxMemoryError(
        `the code ran out of its ${limits.memoryMb} MB memory limit (${
          response.message.split("\n").pop()
        })`,
      );
    case "output":
      return new SandboxOutputError(response.message);
    case "broken":
      return new SandboxRuntimeError(response.message);
    default:
      return new SandboxExceptionError(headline(response.message));
  }
}

/**
 * A Python traceback with its last line (the exception) first, so a one-line report (the CLI's
 * error line) says what went wrong; the frames follow.
 */
function headline(traceback: string): string {
  const lines = traceback.trimEnd().split("\n");
  if (lines.length < 2) return traceback;
  return [lines[lines.length - 1], ...lines.slice(0, -1)].join("\n");
}
