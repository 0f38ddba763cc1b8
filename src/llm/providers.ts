/**
 * Provider prefixes in model names (`openai/gpt-5-mini`, `ollama/qwen3`): which endpoint a
 * model uses and which API key goes there. A key goes only to its own provider's endpoint: an
 * explicit base URL gets `OPENAI_API_KEY` (or no key), never another provider's key.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";

/** One provider: its default endpoint and the variable that holds its key. */
export interface Provider {
  name: string;
  /** Default base URL. */
  baseUrl: string;
  /** Env var with the API key; `undefined` when the provider needs none (local servers). */
  keyVar?: string;
  /** Env var that overrides `baseUrl` for this provider only. */
  baseUrlVar?: string;
  /**
   * The wire protocol, a key of `ADAPTERS` in `open_model.ts`.
   * @default {"openai"} (chat completions)
   */
  api?: string;
}

/** The providers rlm knows by prefix. */
export const PROVIDERS: Record<string, Provider> = {
  openai: {
    name: "openai",
    baseUrl: "https://api.openai.com/v1",
    keyVar: "OPENAI_API_KEY",
    baseUrlVar: "OPENAI_BASE_URL",
  },
  anthropic: {
    name: "anthropic",
    baseUrl: "https://api.anthropic.com/v1/",
    keyVar: "ANTHROPIC_API_KEY",
  },
  openrouter: {
    name: "openrouter",
    baseUrl: "https://openrouter.ai/api/v1",
    keyVar: "OPENROUTER_API_KEY",
  },
  ollama: { name: "ollama", baseUrl: "http://localhost:11434/v1" },
  vllm: { name: "vllm", baseUrl: "http://localhost:8000/v1" },
};

/** The key variable an explicit base URL (`--base-url`) gets. */
export const BASE_URL_KEY_VAR = "OPENAI_API_KEY";

/** Where and how to reach a model. */
export interface Endpoint {
  /** The model name sent to the endpoint (prefix removed). */
  model: string;
  baseUrl: string;
  /** The key sent as a bearer token; `undefined` sends none. */
  apiKey?: string;
  /** The variable `apiKey` came from. */
  keyVar?: string;
  provider: string;
}

/**
 * Resolve `model` to an endpoint. `baseUrl` is an explicit `--base-url`: it wins over every
 * provider's endpoint and gets only `OPENAI_API_KEY` (or no key). Without it, the prefix picks
 * the provider, its endpoint (`OPENAI_BASE_URL` overrides OpenAI's only) and its key variable;
 * a missing key is a `UsageError` naming the variable to set.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const e = resolveEndpoint("ollama/qwen3", { env: {} });
 * assertEquals([e.model, e.baseUrl, e.apiKey], ["qwen3", "http://localhost:11434/v1", undefined]);
 * ```
 */
export function resolveEndpoint(
  model: string,
  options: { baseUrl?: string; env?: Record<string, string | undefined> } = {},
): Endpoint {
  const env = options.env ?? Deno.env.toObject();
  const slash = model.indexOf("/");
  const prefix = slash > 0 ? model.slice(0, slash) : "";
  const provider = PROVIDERS[prefix];
  const name = provider ? model.slice(slash + 1) : model;
  const chosen = provider ?? PROVIDERS.openai;
  if (name === "") throw new UsageError(`Model "${model}" has no name after the provider prefix`);
  if (options.baseUrl !== undefined) {
    const baseUrl = checkBaseUrl(options.baseUrl, "--base-url");
    const apiKey = env[BASE_URL_KEY_VAR] || undefined;
    return { model: name, baseUrl, apiKey, keyVar: BASE_URL_KEY_VAR, provider: chosen.name };
  }
  const override = chosen.baseUrlVar ? env[chosen.baseUrlVar] || undefined : undefined;
  const baseUrl = override === undefined
    ? chosen.baseUrl
    : checkBaseUrl(override, chosen.baseUrlVar as string);
  const keyVar = chosen.keyVar;
  const apiKey = keyVar ? env[keyVar] || undefined : undefined;
  // Local servers need no key.
  if (keyVar && !apiKey && !isLocal(baseUrl)) {
    throw new UsageError(
      `No API key for model "${model}": set ${keyVar}${
        chosen.name === "openai" ? " (or use --base-url for a local OpenAI-compatible server)" : ""
      }`,
    );
  }
  return { model: name, baseUrl, apiKey, keyVar, provider: chosen.name };
}

/**
 * `text` if it is an http(s) URL, else a `UsageError` naming `source` (the flag or variable).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(checkBaseUrl("http://127.0.0.1:8000/v1", "--base-url"), "http://127.0.0.1:8000/v1");
 * ```
 */
export function checkBaseUrl(text: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(
      `Invalid ${source} ${
        JSON.stringify(text)
      }: give an http(s) URL like http://localhost:8000/v1`,
    );
  }
  if (url.username || url.password) {
    throw new UsageError(
      `Invalid ${source} ${
        JSON.stringify(url.host)
      }: a URL with a user or password is not supported; put the key in ${BASE_URL_KEY_VAR}`,
    );
  }
  return text;
}

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
