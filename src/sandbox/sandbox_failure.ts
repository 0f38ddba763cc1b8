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
  SandboxSyntaxError,
} from "./sandbox_errors.ts";
import type { SandboxLimits } from "./sandbox_limits.ts";

/** The error for a failed response. */
export function sandboxFailure(
  response: Extract<SandboxResponse, { ok: false }>,
  limits: Pick<SandboxLimits, "memoryMb">,
): SandboxError {
  switch (response.kind) {
    case "syntax":
      return new SandboxSyntaxError(response.message, response.line);
    case "memory":
      return new SandboxMemoryError(
        `the code ran out of its ${limits.memoryMb} MB memory limit (${
          response.message.split("\n").pop()
        })`,
      );
    case "output":
      return new SandboxOutputError(response.message);
    default:
      return new SandboxExceptionError(response.message);
  }
}
