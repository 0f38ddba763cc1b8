import { assertEquals } from "../../tests/_assert.ts";
import { OpError } from "../ops/op_error.ts";
import { InfrastructureError } from "../protocol/errors.ts";
import {
  SandboxExceptionError,
  SandboxRuntimeError,
  SandboxTimeoutError,
} from "../protocol/sandbox_errors.ts";
import { asInfrastructure, isModelMistake } from "./model_mistake.ts";

Deno.test("the model's mistakes are OpError and SandboxError, unless the machinery failed beneath them", () => {
  const infra = new InfrastructureError("nix", "The Nix build failed");
  const cases: [unknown, boolean][] = [
    [new OpError("grep", "pattern", "is empty"), true],
    [new SandboxExceptionError("ZeroDivisionError"), true],
    [new SandboxTimeoutError("the code ran longer than 10 s"), true],
    [
      new OpError("operation 1 (eval)", undefined, "x", { cause: new SandboxTimeoutError("t") }),
      true,
    ],
    [new SandboxRuntimeError("the sandbox crashed"), false],
    [new OpError("eval", undefined, "x", { cause: new SandboxRuntimeError("crashed") }), false],
    [new OpError("eval", undefined, "x", { cause: new Error("y", { cause: infra }) }), false],
    [infra, false],
    [new Error("operation 1 (count): worker failed"), false],
    ["a string", false],
  ];
  for (const [error, expected] of cases) {
    assertEquals(isModelMistake(error), expected, String(error));
  }
});

Deno.test("a cycle of causes ends the search; asInfrastructure keeps the failing component", () => {
  const a = new OpError("grep", undefined, "a");
  Object.defineProperty(a, "cause", { value: a });
  assertEquals(isModelMistake(a), true);
  const wrapped = asInfrastructure(
    new Error("operation 1 (eval): x", { cause: new SandboxRuntimeError("crashed") }),
  );
  assertEquals([wrapped.component, wrapped.message], ["sandbox", "operation 1 (eval): x"]);
  const provider = new InfrastructureError("provider", "down");
  assertEquals(asInfrastructure(provider), provider);
  assertEquals(asInfrastructure(new Error("odd")).component, "run");
});
