import { hashValue } from "../cache/hash.ts";
import { createLocalExecutor } from "../exec/local/local_executor.ts";
import { parsePlan } from "../exec/parse_plan.ts";
import { runPlan } from "../exec/run_plan.ts";
import type { SubCallPort } from "../protocol/ports.ts";
import type { Binding } from "../protocol/value.ts";
import { assert, assertEquals } from "../../tests/_assert.ts";
import { parseStep } from "./parse_step.ts";
import { describeValue } from "./preview.ts";
import { PROMPT_EXAMPLES, systemPrompt } from "./prompt.ts";
import { OP_SPECS } from "../ops/_op_specs.ts";

const LOG = new URL("../../docs/examples/app.log", import.meta.url);

Deno.test("every worked example in the prompt does what the prompt says on our engine", async () => {
  const log = await Deno.readTextFile(LOG);
  // Sub-calls answer 12, 9, 11, 10 for the four chunks, as the second example claims.
  const answers = ["12", "9", "11", "10"];
  const subCall: SubCallPort = {
    call: (_q, _c, { meta }) => Promise.resolve(answers[meta.index ?? 0]),
  };
  for (const example of PROMPT_EXAMPLES) {
    const env = new Map<string, Binding>([["context", { value: log, hash: hashValue(log) }]]);
    for (const { reply, result } of example.steps) {
      const parsed = parseStep(JSON.stringify(reply));
      assert(parsed.ok, `${example.question}: ${JSON.stringify(reply)} parses`);
      const step = parsed.step;
      if (step.mode === "final") {
        assert("answer_var" in step);
        assertEquals(env.get(step.answer_var)?.value, result, example.question);
        continue;
      }
      const ops = step.mode === "explore" ? [step.operation] : step.operations;
      const out = await runPlan(
        parsePlan({ operations: ops, output: step.mode === "commit" ? step.output : undefined }),
        env,
        {
          executor: createLocalExecutor({}),
          ports: { subCall },
        },
      );
      const shown = typeof out.binding.value === "string" && out.binding.value.length < 20
        ? out.binding.value
        : describeValue(out.binding.value);
      if (step.mode === "commit") {
        assert(result.endsWith(`= ${out.binding.value}`), `${result} vs ${shown}`);
      } else assertEquals(shown, result, example.question);
    }
  }
});

Deno.test("the system prompt teaches sub-calls only when they exist", () => {
  const withSub = systemPrompt({
    maxExplore: 20,
    maxCommits: 5,
    subCalls: true,
    evalEnabled: false,
  });
  const without = systemPrompt({
    maxExplore: 20,
    maxCommits: 5,
    subCalls: false,
    evalEnabled: false,
  });
  assert(withSub.includes("- map {prompt, input}"));
  assert(!without.includes("- map {prompt, input}"));
  assert(!without.includes('"op":"map"'), "no example uses map when sub-calls are off");
  assert(!withSub.includes("- eval {code"), "eval is taught only when enabled");
  const withEval = systemPrompt({
    maxExplore: 20,
    maxCommits: 5,
    subCalls: false,
    evalEnabled: true,
  });
  assert(withEval.includes("- eval {code, inputs"));
});

Deno.test("the system prompt names every op with eval and sub-calls, and only pure ops without", () => {
  const limits = { maxExplore: 20, maxCommits: 5 };
  const all = systemPrompt({ ...limits, subCalls: true, evalEnabled: true });
  const pure = systemPrompt({ ...limits, subCalls: false, evalEnabled: false });
  const listed = (prompt: string) =>
    prompt.split("\n").filter((l) => /^- [a-z_]+ \{/.test(l)).map((l) => l.split(" ")[1]);
  for (const name of Object.keys(OP_SPECS)) assert(listed(all).includes(name), name);
  // Today's ops in today's order: pure ones, eval, the sub-calls, then combine with a prompt.
  const today = ["grep", "count", "combine", "eval", "rlm_call", "map"];
  assertEquals(listed(all).filter((name) => today.includes(name)), [...today, "combine"]);
  assertEquals(listed(pure).filter((name) => today.includes(name)), ["grep", "count", "combine"]);
  for (const spec of Object.values(OP_SPECS)) {
    for (const { needs, line } of spec.prompt) {
      assert(all.includes(`\n- ${line}\n`), `${spec.name}: ${line}`);
      assertEquals(pure.includes(`- ${line}`), needs === "pure", `${spec.name}: ${line}`);
    }
  }
  assert(
    !pure.includes("strategy=<an instruction>"),
    "prompt combine is taught with sub-calls only",
  );
});

Deno.test("the prompt's sentences on sub-model ops and variable args come from the specs", () => {
  const prompt = systemPrompt({ maxExplore: 20, maxCommits: 5, subCalls: true, evalEnabled: true });
  assert(prompt.includes("Sub-model operations (rlm_call, map, prompt combine) are allowed only"));
  assert(prompt.includes("Args named input, inputs and context name variables;"));
  // Every op that can call a sub-model is in the sentence (a variant by its line's label), and
  // every variable arg of every spec is named.
  const subModel = /Sub-model operations \(([^)]*)\)/.exec(prompt)?.[1].split(", ");
  const expected = Object.values(OP_SPECS).flatMap((spec) =>
    spec.prompt.filter((p) => p.needs === "sub-call").map((p) => p.label ?? spec.name)
  );
  assertEquals(subModel?.sort(), expected.sort());
  const named = /Args named (.*) name variables/.exec(prompt)?.[1].split(/, | and /);
  const args = Object.values(OP_SPECS).flatMap((spec): readonly string[] => spec.variableArgs);
  assertEquals(named?.sort(), [...new Set(args)].sort());
});
