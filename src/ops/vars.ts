/**
 * Read access to variables for ops, with errors the model can act on.
 *
 * @module
 */
import type { Binding, Value } from "../protocol/value.ts";
import { didYouMean } from "./_suggest.ts";
import { OpError } from "./op_error.ts";
import type { Vars } from "./types.ts";

/**
 * `Vars` over `bindings`. `op` names the op in error messages.
 *
 * @example
 * ```ts
 * const vars = createVars(new Map([["context", { value: "a\nb", hash: "..." }]]), "grep");
 * vars.text("context", "input"); // "a\nb"
 * vars.list("context", "input"); // throws OpError: grep: arg "input": variable "context" is text...
 * ```
 */
export function createVars(bindings: ReadonlyMap<string, Binding>, op = "op"): Vars {
  const bindingOf = (name: string, arg: string): Binding => {
    const binding = bindings.get(name);
    if (binding === undefined) {
      const known = [...bindings.keys()];
      throw new OpError(
        op,
        arg,
        `variable "${name}" is not defined${didYouMean(name, known)}; defined: ${
          known.length ? known.join(", ") : "none"
        }`,
      );
    }
    return binding;
  };
  const value = (name: string, arg: string): Value => bindingOf(name, arg).value;
  const text = (name: string, arg: string): string => {
    const v = value(name, arg);
    if (typeof v !== "string") {
      throw new OpError(
        op,
        arg,
        `variable "${name}" is a list of ${v.length} items; this op needs text (join it first with combine, strategy "concat")`,
      );
    }
    return v;
  };
  return {
    value,
    text,
    textPieces(name, arg) {
      const binding = bindingOf(name, arg);
      return binding.pieces ? binding.pieces() : [text(name, arg)];
    },
    list(name, arg) {
      const v = value(name, arg);
      if (typeof v === "string") {
        throw new OpError(
          op,
          arg,
          `variable "${name}" is text; this op needs a list (make one with chunk or split)`,
        );
      }
      return v;
    },
    items(names, arg) {
      return names.flatMap((name) => {
        const v = value(name, arg);
        return typeof v === "string" ? [v] : v;
      });
    },
    names: () => [...bindings.keys()],
  };
}
