import { z } from "zod";
import { assert, assertEquals, assertThrows } from "../../tests/_assert.ts";
import { generatedFiles } from "../../tools/gen_ops.ts";
import { OP_SPECS } from "./_op_specs.ts";
import { isSubCall } from "./is_sub_call.ts";
import { opEffect } from "./op_effect.ts";
import { OpError } from "./op_error.ts";
import { parseOperation } from "./parse_operation.ts";
import { readsEveryVar, referencedVars } from "./referenced_vars.ts";
import { OPS } from "./registry.ts";

const ROOT = new URL("../../", import.meta.url);
const SPECS = Object.values(OP_SPECS);

Deno.test("the files generated from the op specs are current (else run `deno task gen`)", async () => {
  for (const [path, content] of await generatedFiles()) {
    const onDisk = await Deno.readTextFile(new URL(path, ROOT));
    assert(onDisk === content, `${path} is not what the op specs give: run \`deno task gen\``);
  }
});

Deno.test("the ops keep their order, and each spec is under its own name with an implementation", () => {
  // The ops of rlm 0.1, in the order of the prompt and the docs (a new op may go anywhere).
  const names = [
    "slice",
    "lines",
    "grep",
    "count",
    "chunk",
    "split",
    "combine",
    "eval",
    "rlm_call",
    "map",
  ];
  assertEquals(Object.keys(OP_SPECS).filter((name) => names.includes(name)), names);
  assertEquals(Object.keys(OPS), Object.keys(OP_SPECS));
  for (const [name, spec] of Object.entries(OP_SPECS)) assertEquals(spec.name, name);
});

Deno.test("every spec's example parses through parseOperation as that op", () => {
  for (const spec of SPECS) {
    const op = parseOperation(spec.example);
    assertEquals(op.op, spec.name);
    assertEquals(op.bind, spec.example.bind);
    for (const [arg, value] of Object.entries(spec.example.args)) {
      assertEquals((op.args as Record<string, unknown>)[arg], value, `${spec.name} ${arg}`);
    }
  }
});

Deno.test("every spec's args convert to a JSON Schema that lists its args and no others", () => {
  for (const spec of SPECS) {
    const schema = z.toJSONSchema(spec.args) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    assertEquals(Object.keys(schema.properties), Object.keys(spec.args.shape), spec.name);
    assertEquals(schema.additionalProperties, false, spec.name);
  }
});

Deno.test("each spec's variable args are args of its schema", () => {
  for (const spec of SPECS) {
    for (const arg of spec.variableArgs) assert(arg in spec.args.shape, `${spec.name}.${arg}`);
    assert(spec.prompt.length > 0 && spec.docs.length > 0, `${spec.name} is taught and documented`);
  }
});

Deno.test("the arg combinations in the specs give the messages they always gave", () => {
  const cases: [unknown, string][] = [
    [
      { op: "chunk", args: { input: "a" } },
      'chunk: give exactly one of "n" (number of pieces) or "size" (characters per piece)',
    ],
    [
      { op: "chunk", args: { input: "a", n: 2, size: 10 } },
      'chunk: give exactly one of "n" (number of pieces) or "size" (characters per piece)',
    ],
    [
      { op: "count", args: { input: "a", mode: "matches" } },
      'count: arg "pattern": is required with mode "matches"',
    ],
    [
      { op: "count", args: { input: "a", pattern: "x" } },
      'count: arg "pattern": only applies to mode "matches" (mode is "lines")',
    ],
    // A mistyped arg is reported before the combination.
    [
      { op: "chunk", args: { input: "a", n: "8" } },
      'chunk: arg "n": must be a number, got a string "8"',
    ],
  ];
  for (const [raw, message] of cases) {
    const error = assertThrows(() => parseOperation(raw), OpError);
    assertEquals(error.message, message);
  }
  assertEquals(parseOperation({ op: "chunk", args: { input: "a", size: 10 } }).args, {
    input: "a",
    size: 10,
  });
});

Deno.test("an op's effect comes from its spec: combine's from its strategy", () => {
  const effect = (raw: unknown) => opEffect(parseOperation(raw));
  assertEquals(effect({ op: "grep", args: { input: "a", pattern: "x" } }), "pure");
  assertEquals(effect({ op: "combine", args: { inputs: ["a"], strategy: "vote" } }), "pure");
  assertEquals(
    effect({ op: "combine", args: { inputs: ["a"], strategy: "the longest" } }),
    "sub-call",
  );
  assertEquals(effect({ op: "eval", args: { code: "print(1)" } }), "sandbox");
  assert(isSubCall(parseOperation({ op: "map", args: { prompt: "p", input: "l" } })));
  assert(isSubCall(parseOperation({ op: "rlm_call", args: { query: "q", context: "c" } })));
  assert(!isSubCall(parseOperation({ op: "eval", args: { code: "print(1)" } })));
});

Deno.test("the variables an op reads come from its spec's variable args", () => {
  const refs = (raw: unknown) => referencedVars(parseOperation(raw), ["x", "y"]);
  assertEquals(refs({ op: "slice", args: { input: "t" } }), ["t"]);
  assertEquals(refs({ op: "rlm_call", args: { query: "q", context: "c" } }), ["c"]);
  assertEquals(refs({ op: "combine", args: { inputs: ["a", "b", "a"] } }), ["a", "b"]);
  assertEquals(refs({ op: "eval", args: { code: "1", inputs: ["a"] } }), ["a"]);
  assertEquals(refs({ op: "eval", args: { code: "1" } }), ["x", "y"]);
  assert(readsEveryVar(parseOperation({ op: "eval", args: { code: "1" } })));
  assert(!readsEveryVar(parseOperation({ op: "eval", args: { code: "1", inputs: [] } })));
});
