/**
 * `map`: one sub-call per item of a list, answers in input order.
 *
 * @module
 */
import { OpError } from "./op_error.ts";
import type { OpImpl } from "./types.ts";

/**
 * Ask `prompt` about each item of the list variable `input`; all sub-calls start at once (one
 * limit on calls in flight covers the whole run) and the answers come back in input order.
 *
 * @example `{"op": "map", "args": {"prompt": "Count the timeouts. Reply with an integer.", "input": "chunks"}}`
 */
export const map: OpImpl<"map"> = async (args, vars, ports) => {
  const items = vars.list(args.input, "input");
  const port = ports.subCall;
  if (port === undefined) {
    throw new OpError(
      "map",
      undefined,
      "sub-calls are not available here (no model configured, or --max-depth 0)",
    );
  }
  return await Promise.all(
    items.map((item, index) =>
      port.call(args.prompt, item, {
        meta: { op: "map", index, of: items.length },
        signal: ports.signal,
      })
    ),
  );
};
