import { notDeepStrictEqual as assertNotEquals } from "node:assert/strict";
import { assertEquals } from "../../tests/_assert.ts";
import { modelCallKey, modelEndpoint } from "./model_call_key.ts";

const request = { model: "gpt-5-mini", messages: [{ role: "user" as const, content: "hi" }] };

Deno.test("the model-call key includes the endpoint the request goes to", () => {
  // The attack: an answer cached from one server was replayed for another.
  assertNotEquals(
    modelCallKey(request, "http://127.0.0.1:8001/v1"),
    modelCallKey(request, "http://127.0.0.1:8002/v1"),
  );
  assertNotEquals(modelCallKey(request), modelCallKey(request, "http://127.0.0.1:8001/v1"));
  assertNotEquals(
    modelCallKey({ ...request, model: "ollama/m" }),
    modelCallKey({ ...request, model: "ollama/m" }, "http://10.0.0.1:11434/v1"),
  );
  // The same endpoint spelled with a trailing slash, or left to its default, is the same.
  assertEquals(
    modelEndpoint(request.model, undefined, {}),
    modelEndpoint(request.model, "https://api.openai.com/v1/"),
  );
  assertEquals(modelEndpoint("anthropic/claude", undefined, {}), "https://api.anthropic.com/v1");
  // OPENAI_BASE_URL moves OpenAI's endpoint (and the key with it), not another provider's.
  const env = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
  assertEquals(modelEndpoint("gpt-5-mini", undefined, env), "http://127.0.0.1:9/v1");
  assertEquals(modelEndpoint("openai/gpt-5-mini", undefined, env), "http://127.0.0.1:9/v1");
  assertEquals(modelEndpoint("ollama/q", undefined, env), "http://localhost:11434/v1");
  assertEquals(modelEndpoint("vllm/x", "http://h:1/v1"), "http://h:1/v1");
});
