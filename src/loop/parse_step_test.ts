import { assert, assertEquals } from "../../tests/_assert.ts";
import { parseStep } from "./parse_step.ts";

Deno.test("parseStep tolerates fences, prose, the flat explore form and numeric answers", () => {
  const fenced = parseStep(
    'I will look.\n```json\n{"mode":"explore","operation":{"op":"count","args":{"input":"context"}}}\n```',
  );
  assert(fenced.ok && fenced.step.mode === "explore");
  const flat = parseStep(
    '{"mode":"explore","op":"grep","args":{"input":"context","pattern":"x"},"bind":"g"}',
  );
  assert(flat.ok && flat.step.mode === "explore");
  assertEquals(flat.ok && flat.step.mode === "explore" && flat.step.operation.bind, "g");
  const num = parseStep('{"mode":"final","answer":42}');
  assert(num.ok && num.step.mode === "final" && "answer" in num.step && num.step.answer === "42");
  const braces = parseStep('Here: {"mode":"final","answer":"a } tricky { string"} done');
  assert(braces.ok && braces.step.mode === "final");
});

Deno.test("parseStep explains what is wrong", () => {
  const cases: [string, string][] = [
    ["no json here", "no JSON object"],
    ['{"op":"grep"}', 'no "mode"'],
    ['{"mode":"think"}', 'Unknown mode "think"'],
    ['{"mode":"commit","operations":[]}', "Malformed commit step"],
    ['{"mode":"final"}', "Malformed final step"],
    ['{"mode":"final","answer":1} {"mode":"final","answer":2}', "several steps"],
  ];
  for (const [reply, expected] of cases) {
    const parsed = parseStep(reply);
    assert(!parsed.ok && parsed.error.includes(expected), `${reply}: ${JSON.stringify(parsed)}`);
  }
});

Deno.test("a numeric answer is kept as the model wrote it, not as a float rounds it", () => {
  for (const written of ["1.50", "12345678901234567890", "-0.0", "1e3"]) {
    const parsed = parseStep(`{"mode": "final", "answer": ${written}}`);
    assert(parsed.ok && parsed.step.mode === "final" && "answer" in parsed.step);
    assertEquals(parsed.step.answer, written);
  }
});
