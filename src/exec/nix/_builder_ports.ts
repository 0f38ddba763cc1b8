/**
 * The ports of an op builder that has none of an effect: each refuses with an error that is not
 * an `OpError`, so the build fails instead of storing a failure as the op's result. The executor
 * sends a builder only the ops whose effect it has; these make a mistake there loud.
 *
 * @module
 */
import type { SandboxPort, SubCallPort } from "../../protocol/ports.ts";
import { SandboxRuntimeError } from "../../protocol/sandbox_errors.ts";

/** A sub-call port that refuses: no op with a model runs in Nix. */
export const refusingSubCalls: SubCallPort = {
  call() {
    return Promise.reject(new Error("builder: an op with sub-calls does not run in Nix"));
  },
};

/**
 * A sandbox port that refuses: the op builder has no Python runtime. A `SandboxRuntimeError`,
 * which `eval` passes on as it is (any other error it reports as the code's).
 */
export const refusingSandbox: SandboxPort = {
  identity: "none",
  run() {
    return Promise.reject(
      new SandboxRuntimeError("builder: a sandbox op runs in the sandbox builder"),
    );
  },
};
