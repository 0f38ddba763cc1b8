/**
 * A key goes only to its own provider's endpoint: every provider prefix of src/llm/providers.ts
 * is run through the real CLI against scripted servers on 127.0.0.1 that record the
 * `Authorization` header of every request. An explicit `--base-url` gets only `OPENAI_API_KEY`;
 * `OPENAI_BASE_URL` moves OpenAI's endpoint only.
 */
import { PROVIDERS } from "../src/llm/providers.ts";
import { assert, assertEquals } from "./_assert.ts";
import { runCli } from "./_cli.ts";
import { isRootRequest, startScriptedServer } from "./fixtures/scripted_server.ts";

const KEYS = {
  OPENAI_API_KEY: "sk-openai-1",
  ANTHROPIC_API_KEY: "sk-anthropic-2",
  OPENROUTER_API_KEY: "sk-openrouter-3",
};
/** Every prefix rlm knows, and no prefix. */
const PREFIXES = ["", ...Object.keys(PROVIDERS).map((p) => `${p}/`)];

async function withContext(fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "rlm-keys-" });
  await using _cleanup = { [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
  await Deno.writeTextFile(`${dir}/ctx.txt`, "alpha\n");
  await fn(`${dir}/ctx.txt`);
}

Deno.test("an explicit --base-url gets OPENAI_API_KEY, or no key, whatever the model's prefix", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({
      reply: () => ({ content: '{"mode":"final","answer":"ok"}' }),
    });
    for (const prefix of PREFIXES) {
      for (const env of [KEYS, { ...KEYS, OPENAI_API_KEY: "" }]) {
        const before = server.requests.length;
        const args = ["run", "-q", "q", "-c", path, "--no-cache", "--base-url", server.url];
        const result = await runCli([...args, "-m", `${prefix}m`], { env });
        assertEquals(result.code, 0, `${prefix}: ${result.stderr}`);
        const seen = server.requests.slice(before).map((r) => r.authorization);
        const expected = env.OPENAI_API_KEY ? `Bearer ${env.OPENAI_API_KEY}` : undefined;
        assertEquals(seen, [expected], `prefix "${prefix}"`);
      }
    }
  });
});

Deno.test("OPENAI_BASE_URL moves only OpenAI's endpoint: another provider's child model never sends its key there", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({
      reply: (r) =>
        r.messages.some((m) => m.role === "assistant")
          ? { content: '{"mode":"final","answer_var":"a"}' }
          : {
            content:
              '{"mode":"commit","operations":[{"op":"rlm_call","args":{"query":"sub","context":"context"},"bind":"a"}]}',
          },
    });
    for (const prefix of PREFIXES) {
      const before = server.requests.length;
      const result = await runCli(
        ["run", "-q", "q", "-c", path, "--no-cache", "--child-model", `${prefix}child`],
        { env: { ...KEYS, OPENAI_BASE_URL: server.url, RLM_RETRY_BASE_MS: "1" } },
      );
      const requests = server.requests.slice(before);
      for (const r of requests) {
        assertEquals(r.authorization, `Bearer ${KEYS.OPENAI_API_KEY}`, `prefix "${prefix}"`);
      }
      const children = requests.filter((r) => !isRootRequest(r));
      if (prefix === "" || prefix === "openai/") {
        assertEquals(result.code, 0, result.stderr);
        assertEquals(children.length, 1, "an OpenAI child uses OPENAI_BASE_URL");
      } else {
        // The child goes to its own provider's endpoint (unreachable here): exit 1, one line.
        assertEquals(result.code, 1, `${prefix}: ${result.stderr}`);
        assertEquals(children.length, 0, `prefix "${prefix}": the child came to OPENAI_BASE_URL`);
        assert(result.stderr.includes(PROVIDERS[prefix.slice(0, -1)].baseUrl), result.stderr);
      }
    }
  });
});

Deno.test("a provider whose key is missing fails before any request, naming the variable (exit 2)", async () => {
  await withContext(async (path) => {
    await using server = startScriptedServer({ reply: () => ({ content: "x" }) });
    for (
      const [prefix, keyVar] of [["anthropic/", "ANTHROPIC_API_KEY"], [
        "openrouter/",
        "OPENROUTER_API_KEY",
      ]]
    ) {
      const result = await runCli(
        ["run", "-q", "q", "-c", path, "--no-cache", "--child-model", `${prefix}c`],
        { env: { ...KEYS, [keyVar]: "", OPENAI_BASE_URL: server.url } },
      );
      assertEquals(result.code, 2, result.stderr);
      assertEquals(result.stderr.trim(), `rlm: No API key for model "${prefix}c": set ${keyVar}`);
    }
    assertEquals(server.requests.length, 0);
  });
});
