import { assert, assertEquals } from "../../tests/_assert.ts";
import { hashValue } from "../cache/hash.ts";
import { parseOperation } from "../ops/parse_operation.ts";
import type { Binding, Value } from "../protocol/value.ts";
import { opKey } from "./op_key.ts";

function bindings(values: Record<string, Value>): Map<string, Binding> {
  return new Map(Object.entries(values).map(([k, v]) => [k, { value: v, hash: hashValue(v) }]));
}

const VARS = bindings({ a: "x\ny", b: ["p", "q"] });

Deno.test("op keys are the ones rlm has always written (a cache made before still hits)", () => {
  const key = (raw: unknown) => opKey(parseOperation(raw), VARS, "rt");
  // Computed before the ops were described by specs (the cache format is version 1).
  assertEquals(
    key({ op: "grep", args: { input: "a", pattern: "x", context_lines: 1 } }),
    "2a85273de73a5c3c17e7ae39a3cf6963516c6cc3c1f53bc9438d4decee9807f1",
  );
  assertEquals(
    key({ op: "combine", args: { inputs: ["a", "b"], strategy: "sum" } }),
    "331853421a5aee709597ac579e75c8fd085e50de5af22e978a52f262bac650f0",
  );
  assertEquals(
    key({ op: "eval", args: { code: "print(1)", inputs: ["a"] } }),
    "0b76937dd19fa55cacb1736b1a1da192e8c6e8cf78f923977ee2d62093fb21f6",
  );
});

Deno.test("a pure op's key ignores variable names; eval's key holds them", () => {
  const renamed = bindings({ other: "x\ny" });
  const count = (input: string) => parseOperation({ op: "count", args: { input } });
  assertEquals(opKey(count("a"), VARS), opKey(count("other"), renamed));
  const evalOf = (input: string) =>
    parseOperation({ op: "eval", args: { code: "1", inputs: [input] } });
  assert(opKey(evalOf("a"), bindings({ a: "x\ny" })) !== opKey(evalOf("other"), renamed));
});
