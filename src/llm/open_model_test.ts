import { assertEquals, assertRejects } from "../../tests/_assert.ts";
import { ModelCallError } from "./model_call_error.ts";
import { ADAPTERS, openModel } from "./open_model.ts";
import { BUILTIN_PRICES } from "./pricing.ts";
import { type ProviderAdapter, ProviderFailure } from "./provider_adapter.ts";
import { PROVIDERS } from "./providers.ts";
import { UsageError } from "../protocol/errors.ts";

/** Register a provider `fake` with its own adapter for the test's length. */
function withFakeProvider(adapter: ProviderAdapter): Disposable {
  PROVIDERS.fake = { name: "fake", baseUrl: "http://127.0.0.1:1/v1", api: "fake" };
  ADAPTERS.fake = () => adapter;
  return {
    [Symbol.dispose]() {
      delete PROVIDERS.fake;
      delete ADAPTERS.fake;
    },
  };
}

const messages = [{ role: "user" as const, content: "Hi" }];

Deno.test("openModel sends a request to its provider's adapter, through the retry layer", async () => {
  const seen: string[] = [];
  let tries = 0;
  using _ = withFakeProvider({
    complete(_request, endpoint) {
      seen.push(endpoint.model);
      if (++tries < 3) throw new ProviderFailure("busy", { retry: true, retryAfterMs: 0 });
      return Promise.resolve({ content: "hello", usage: { promptTokens: 2, completionTokens: 1 } });
    },
  });
  const model = await openModel("fake/m", { pricing: BUILTIN_PRICES, env: {}, retryBaseMs: 1 });
  const reply = await model.complete({ model: "fake/m", messages });
  assertEquals([reply.content, reply.retries, reply.costUsd], ["hello", 2, null]);
  assertEquals(seen, ["m", "m", "m"], "the prefix is removed, every try reaches the adapter");
});

Deno.test("a failure the adapter says not to retry ends the call as a ModelCallError", async () => {
  let tries = 0;
  using _ = withFakeProvider({
    complete() {
      tries++;
      throw new ProviderFailure("Model endpoint answered 400: bad", { retry: false, status: 400 });
    },
  });
  const model = await openModel(["fake/a", "fake/b"], { pricing: BUILTIN_PRICES, env: {} });
  const error = await assertRejects(
    () => model.complete({ model: "fake/a", messages }),
    ModelCallError,
    "answered 400",
  );
  assertEquals([(error as ModelCallError).status, tries], [400, 1]);
});

Deno.test("openModel checks every model's key before anything runs", async () => {
  await assertRejects(
    () => openModel(["ollama/qwen3", "anthropic/claude-haiku-4-5"], { env: {} }),
    UsageError,
    "set ANTHROPIC_API_KEY",
  );
});
