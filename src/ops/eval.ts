/**
 * `eval`: Python in the WebAssembly sandbox, over named variables.
 *
 * @module
 */
import type { Value } from "../protocol/value.ts";
import { SandboxRuntimeError } from "../protocol/sandbox_errors.ts";
import { OpError } from "./op_error.ts";
import type { OpImpl } from "./types.ts";

/**
 * Run `code` with the variables named in `inputs` (default: all but `__x__` names) as Python
 * globals; the result is Python's stdout, or the `result` variable if the code sets it (text
 * as-is, anything else as JSON). Every
 * failure of the code (syntax error, exception, time, memory or output limit) is an `OpError`
 * the model can act on; a sandbox that cannot run (`SandboxRuntimeError`) and a cancelled run
 * reject with their own error. Without a sandbox port, eval fails with an `OpError`.
 *
 * @example `{"op": "eval", "args": {"code": "result = len(set(context.split()))", "inputs": ["context"]}}`
 */
export const evalCode: OpImpl<"eval"> = async (args, vars, ports) => {
  if (ports.sandbox === undefined) {
    throw new OpError(
      "eval",
      undefined,
      "the Python sandbox is not available here (eval is disabled with --no-eval)",
    );
  }
  // By default every variable, except those named like Python's own globals (`__builtins__`):
  // the sandbox refuses them, and a bind so named must not break every later eval.
  const names = args.inputs ?? vars.names().filter((name) => !/^__.*__$/.test(name));
  const values: Record<string, Value> = {};
  for (const name of names) values[name] = vars.value(name, "inputs");
  try {
    return await ports.sandbox.run(args.code, values, { signal: ports.signal });
  } catch (error) {
    // A broken sandbox is not the model's fault: let it end the run (exit 1).
    if (ports.signal?.aborted || error instanceof SandboxRuntimeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new OpError("eval", undefined, message, { cause: error });
  }
};
