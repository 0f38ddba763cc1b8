/**
 * Provider prefixes in model names (`openai/gpt-5-mini`, `ollama/qwen3`): which endpoint and
 * which API key variable a model uses. An explicit base URL wins.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";

/** One provider: its default endpoint and the variable that holds its key. */
export interface Provider {
  name: string;
  /** Default base URL; `undefined` means the OpenAI client's default. */
  baseUrl?: string;
  /** Env var with the API key; `undefined` when the provider needs none (local servers). */
  keyVar?: string;
}

/** The providers rlm knows by prefix. */
export const PROVIDERS: Record<string, Provider> = {
  openai: { name: "openai", keyVar: "OPENAI_API_KEY" },
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

/** Where and how to reach a model. */
export interface Endpoint {
  /** The model name sent to the endpoint (prefix removed). */
  model: string;
  baseUrl?: string;
  apiKey: string;
  provider: string;
}

/**
 * Resolve `model` to an endpoint. `baseUrl` is `--base-url` or `OPENAI_BASE_URL`; it wins over
 * the provider's default. A missing key is an error naming the variable to set.
 *
 * @example
 * ```ts
 * resolveEndpoint("ollama/qwen3", { env: {} }); // { model: "qwen3", baseUrl: "http://localhost:11434/v1", ... }
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
  const baseUrl = options.baseUrl ?? chosen.baseUrl;
  if (name === "") throw new UsageError(`Model "${model}" has no name after the provider prefix`);
  const keyVar = chosen.keyVar;
  let apiKey = keyVar ? env[keyVar] : undefined;
  if (!apiKey && chosen.name !== "openai" && env.OPENAI_API_KEY && options.baseUrl) {
    apiKey = env.OPENAI_API_KEY;
  }
  if (!apiKey) {
    // Local servers (and any explicit endpoint on this machine) need no key.
    if (!keyVar || (baseUrl !== undefined && isLocal(baseUrl))) apiKey = "not-needed";
    else {
      throw new Error(
        `No API key for model "${model}": set ${keyVar}${
          chosen.name === "openai"
            ? " (or use --base-url for a local OpenAI-compatible server)"
            : ""
        }`,
      );
    }
  }
  return { model: name, baseUrl, apiKey, provider: chosen.name };
}

function isLocal(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
  } catch {
    throw new UsageError(`Invalid base URL "${url}": give a URL like http://localhost:8000/v1`);
  }
}
