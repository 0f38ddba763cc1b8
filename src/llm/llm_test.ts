import { assertEquals, assertThrows } from "../../tests/_assert.ts";
import { Limiter } from "./limiter.ts";
import { BUILTIN_PRICES, costOf } from "./pricing.ts";
import { resolveEndpoint } from "./providers.ts";

Deno.test("provider prefixes pick the endpoint and key; an explicit base URL wins", () => {
  const env = { OPENAI_API_KEY: "sk-o", OPENROUTER_API_KEY: "sk-r" };
  assertEquals(resolveEndpoint("gpt-5-mini", { env }), {
    model: "gpt-5-mini",
    baseUrl: "https://api.openai.com/v1",
    apiKey: "sk-o",
    keyVar: "OPENAI_API_KEY",
    provider: "openai",
  });
  assertEquals(
    resolveEndpoint("openrouter/qwen/qwen3", { env }).baseUrl,
    "https://openrouter.ai/api/v1",
  );
  assertEquals(resolveEndpoint("openrouter/qwen/qwen3", { env }).model, "qwen/qwen3");
  assertEquals(resolveEndpoint("ollama/qwen3", { env: {} }).apiKey, undefined);
  assertEquals(
    resolveEndpoint("vllm/m", { env: {}, baseUrl: "http://127.0.0.1:9999/v1" }).baseUrl,
    "http://127.0.0.1:9999/v1",
  );
  assertThrows(
    () => resolveEndpoint("anthropic/claude-haiku-4-5", { env: {} }),
    Error,
    "set ANTHROPIC_API_KEY",
  );
  assertThrows(() => resolveEndpoint("gpt-5", { env: {} }), Error, "set OPENAI_API_KEY");
});

Deno.test("costs come from the table; an unknown model costs null, never a guess", () => {
  const usage = { promptTokens: 1_000_000, completionTokens: 500_000 };
  assertEquals(costOf(BUILTIN_PRICES, "openai/gpt-5-mini", usage), 0.25 + 1);
  assertEquals(costOf(BUILTIN_PRICES, "my-local-model", usage), null);
});

Deno.test("the limiter never runs more than its limit at once, and runs everything", async () => {
  const limiter = new Limiter(3);
  let active = 0;
  let peak = 0;
  const done = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    limiter.run(async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      active--;
      return i;
    })));
  assertEquals(done, Array.from({ length: 20 }, (_, i) => i));
  assertEquals(peak, 3);
});

Deno.test("a task aborted while waiting for the limiter never runs", async () => {
  const limiter = new Limiter(1);
  const busy = limiter.run(() => new Promise((r) => setTimeout(r, 30)));
  const aborted = new AbortController();
  let ran = false;
  const waiting = limiter.run(() => Promise.resolve(ran = true), aborted.signal).then(
    () => "ran",
    () => "cancelled",
  );
  aborted.abort();
  assertEquals(await waiting, "cancelled");
  await busy;
  assertEquals(await limiter.run(() => Promise.resolve("next")), "next", "the slot is free again");
  assertEquals(ran, false);
});
