/**
 * What model calls cost: USD per million input and output tokens. A user file
 * (`RLM_PRICING_FILE`, JSON `{"model": {"input": 0.25, "output": 2}}`) adds or overrides rows.
 * A model missing from the table has an unknown cost (`null`), never an invented one.
 *
 * @module
 */
import { UsageError } from "../protocol/errors.ts";
import type { Usage } from "./port.ts";

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/** Built-in prices (USD per 1M tokens), by model name without provider prefix. */
export const BUILTIN_PRICES: Record<string, Price> = {
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-opus-4-1": { input: 15, output: 75 },
};

/** The pricing table in force: built-ins plus the user's file, if any. */
export async function loadPricing(
  path = Deno.env.get("RLM_PRICING_FILE"),
): Promise<Record<string, Price>> {
  if (!path) return { ...BUILTIN_PRICES };
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new UsageError(
      `Cannot read pricing file "${path}" (RLM_PRICING_FILE): ${(error as Error).message}`,
    );
  }
  const table = { ...BUILTIN_PRICES };
  for (const [model, price] of Object.entries(data as Record<string, unknown>)) {
    const p = price as Price;
    if (
      typeof p?.input !== "number" || typeof p?.output !== "number" || p.input < 0 || p.output < 0
    ) {
      throw new UsageError(
        `Invalid price for "${model}" in pricing file "${path}": give {"input": USD, "output": USD} per 1M tokens`,
      );
    }
    table[model] = { input: p.input, output: p.output };
  }
  return table;
}

/** Cost in USD of `usage` on `model` (prefix ignored), or `null` if the model is not priced. */
export function costOf(table: Record<string, Price>, model: string, usage: Usage): number | null {
  const name = model.includes("/") ? model.slice(model.indexOf("/") + 1) : model;
  const price = table[name] ?? table[model];
  if (!price) return null;
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1e6;
}
