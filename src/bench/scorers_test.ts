import { assertEquals } from "../../tests/_assert.ts";
import { choice, numericScore, parseSet, score, setF1 } from "./scorers.ts";

Deno.test("exact answers are compared after light normalization only", () => {
  assertEquals(score("exact", "  Billing. ", "billing"), 1);
  assertEquals(
    score("exact", "The answer is billing", "billing"),
    0,
    "no substring-anywhere match",
  );
});

Deno.test("numeric answers score 0.75^|error| and never by joining digits", () => {
  assertEquals(numericScore("42", 42), 1);
  assertEquals(numericScore("There are 1,234 lines.", 1234), 1);
  assertEquals(numericScore("43", 42), 0.75);
  assertEquals(numericScore("4 and 2", 42), 0, "two numbers are not the number 42");
  assertEquals(numericScore("no idea", 42), 0);
  assertEquals(numericScore("42, I said 42", 42), 1, "the same number twice is one answer");
});

Deno.test("set answers score F1 over normalized pairs", () => {
  assertEquals(parseSet("u2-u1\nu3 - u1"), ["u1-u2", "u1-u3"]);
  assertEquals(setF1(parseSet("u1-u2\nu1-u3"), ["u1-u2", "u2-u3"]), 0.5);
  assertEquals(score("set", "(u1, u2)", ["u1-u2"]), 0, "a comma splits items: not a pair");
  assertEquals(score("set", "u1 and u2", ["u1-u2"]), 1);
  assertEquals(score("set", "", []), 1);
});

Deno.test("multiple choice needs exactly one letter", () => {
  assertEquals(choice("The answer is (C)."), "C");
  assertEquals(choice("B or C"), "");
  assertEquals(score("choice", "c", "C"), 1);
});
