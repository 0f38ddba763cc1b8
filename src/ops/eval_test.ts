import { assertEquals, assertRejects } from "../../tests/_assert.ts";
import { evalCode } from "./eval.ts";
import { OpError } from "./op_error.ts";
import { createVars } from "./vars.ts";
import type { Value } from "../protocol/value.ts";

/** A sandbox that records the variables it was given. */
function recorder() {
  const seen: Record<string, Value>[] = [];
  return {
    seen,
    port: {
      identity: "fake",
      run: (_code: string, vars: Record<string, Value>) => {
        seen.push(vars);
        return Promise.resolve("ok");
      },
    },
  };
}

const bindings = new Map([
  ["context", { value: "abc", hash: "h1" }],
  ["__builtins__", { value: "x", hash: "h2" }],
]);

Deno.test("eval: by default, a variable named like Python's own globals is left out", async () => {
  const { seen, port } = recorder();
  await evalCode({ code: "print(1)" }, createVars(bindings, "eval"), { sandbox: port });
  assertEquals(Object.keys(seen[0]), ["context"]);
});

Deno.test("eval: named in inputs, it reaches the sandbox (which refuses it)", async () => {
  const { seen, port } = recorder();
  await evalCode({ code: "print(1)", inputs: ["__builtins__"] }, createVars(bindings, "eval"), {
    sandbox: port,
  });
  assertEquals(Object.keys(seen[0]), ["__builtins__"]);
  await assertRejects(
    async () => await evalCode({ code: "x" }, createVars(bindings, "eval"), {}),
    OpError,
  );
});
