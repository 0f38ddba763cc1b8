/**
 * `rlm_call`: one sub-call that answers a query about a context.
 *
 * @module
 */
import { OpError } from "./op_error.ts";
import type { OpImpl } from "./types.ts";

/**
 * Ask a sub-model `query` about the text in variable `context`; the answer is text. How the
 * sub-call runs (a direct call, or a recursive RLM) depends on `--max-depth` (docs/reference/protocol.md).
 *
 * @example `{"op": "rlm_call", "args": {"query": "Which service fails first?", "context": "errors"}}`
 */
export const rlmCall: OpImpl<"rlm_call"> = async (args, vars, ports) => {
  const context = vars.text(args.context, "context");
  if (ports.subCall === undefined) {
    throw new OpError(
      "rlm_call",
      undefined,
      "sub-calls are not available here (no model configured, or --max-depth 0)",
    );
  }
  return await ports.subCall.call(args.query, context, {
    meta: { op: "rlm_call" },
    signal: ports.signal,
  });
};
