/**
 * `combine`: merge the items of several variables by a strategy.
 *
 * @module
 */
import { BUILTIN_COMBINE_STRATEGIES } from "./_combine_strategies.ts";
import { sumNumbers } from "./_numbers.ts";
import { OpError } from "./op_error.ts";
import type { OpImpl } from "./types.ts";

/**
 * Items come from `inputs` (a list variable gives all its items, a text one item).
 * `concat` joins them with "\n"; `sum` adds every number in every item exactly (ints,
 * decimals, `.5`, negatives, `1,234`, `1e5`); `vote` is the most common item after trimming
 * (ties: the earliest); `json` is a JSON array: an item whose trimmed text is JSON is embedded as
 * that text (whitespace outside strings removed, numbers exactly as written), any other item as
 * a JSON string. Any other strategy is an instruction to a sub-model that merges the items.
 *
 * @example `{"op": "combine", "args": {"inputs": ["counts"], "strategy": "sum"}}`
 */
export const combine: OpImpl<"combine"> = async (args, vars, ports) => {
  const items = vars.items(args.inputs, "inputs");
  switch (args.strategy as (typeof BUILTIN_COMBINE_STRATEGIES)[number]) {
    case "concat":
      return items.join("\n");
    case "sum":
      return sumNumbers(items);
    case "vote":
      return vote(items);
    case "json":
      return jsonArray(items);
  }
  if (ports.subCall === undefined) {
    throw new OpError(
      "combine",
      "strategy",
      `"${preview(args.strategy)}" is not one of ${
        BUILTIN_COMBINE_STRATEGIES.join(", ")
      }, so it is a prompt for a sub-model, and sub-calls are not available here (no model configured, or --max-depth 0)`,
    );
  }
  const context = items.map((item, i) => `### Item ${i + 1} of ${items.length}\n${item}`).join(
    "\n\n",
  );
  return await ports.subCall.call(args.strategy, context, {
    meta: { op: "combine" },
    signal: ports.signal,
  });
};

function vote(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.trim(), (counts.get(item.trim()) ?? 0) + 1);
  let best = "";
  let bestCount = 0;
  // Map order is first occurrence, so on a tie the earliest item wins.
  for (const [item, c] of counts) if (c > bestCount) [best, bestCount] = [item, c];
  return best;
}

/** The items as one JSON array, without parsing numbers (so none is rounded). */
function jsonArray(items: readonly string[]): string {
  let out = "[";
  items.forEach((item, i) => {
    if (i > 0) out += ",";
    out += asJsonText(item);
  });
  return out + "]";
}

// A JSON string token, or a run of JSON whitespace, or anything else.
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|[ \t\n\r]+|[^" \t\n\r]+/g;

function asJsonText(item: string): string {
  const trimmed = item.trim();
  if (trimmed === "" || !isJson(trimmed)) return JSON.stringify(item);
  let out = "";
  for (const [token] of trimmed.matchAll(JSON_TOKEN)) if (!/^[ \t\n\r]/.test(token)) out += token;
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function preview(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}...` : s;
}
