import { assertEquals, assertThrows } from "../../tests/_assert.ts";
import { Limiter } from "./limiter.ts";
import { BUILTIN_PRICES, costOf } from "./pricing.ts";
import { PROVIDERS, resolveEndpoint } from "./providers.ts";

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

Deno.test("for every prefix, with or without --base-url or OPENAI_BASE_URL, a key goes only to its own endpoint", () => {
  const keys = { OPENAI_API_KEY: "k-openai", ANTHROPIC_API_KEY: "k-anthropic" };
  const env = { ...keys, OPENROUTER_API_KEY: "k-openrouter" };
  const explicit = "http://127.0.0.1:9/v1";
  for (const prefix of ["", ...Object.keys(PROVIDERS).map((p) => `${p}/`)]) {
    const provider = PROVIDERS[prefix.slice(0, -1)] ?? PROVIDERS.openai;
    for (const baseUrl of [undefined, explicit]) {
      for (const openaiBase of [undefined, "http://127.0.0.1:8/v1"]) {
        const e = resolveEndpoint(`${prefix}m`, {
          baseUrl,
          env: { ...env, OPENAI_BASE_URL: openaiBase },
        });
        if (baseUrl !== undefined) {
          assertEquals([e.baseUrl, e.apiKey], [explicit, "k-openai"], prefix);
        } else if (provider.name === "openai") {
          assertEquals([e.baseUrl, e.apiKey], [openaiBase ?? provider.baseUrl, "k-openai"]);
        } else {
          const key = provider.keyVar
            ? (env as Record<string, string>)[provider.keyVar]
            : undefined;
          assertEquals([e.baseUrl, e.apiKey], [provider.baseUrl, key], prefix);
        }
      }
    }
  }
});

Deno.test("a base URL that is not an http(s) URL is a usage error naming its source", () => {
  for (const bad of ["not a url", "", "ftp://x/v1", "http://user:pw@h/v1"]) {
    assertThrows(() => resolveEndpoint("m", { baseUrl: bad, env: {} }), Error, "--base-url");
    assertThrows(
      () => resolveEndpoint("m", { env: { OPENAI_BASE_URL: bad || " " } }),
      Error,
      "OPENAI_BASE_URL",
    );
  }
});
