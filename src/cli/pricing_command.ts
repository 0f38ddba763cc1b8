/**
 * `rlm list-model-pricing`: the pricing table in force.
 *
 * @module
 */
import { Command } from "commander";
import { loadPricing } from "../llm/pricing.ts";

/** The `list-model-pricing` command. */
export function pricingCommand(): Command {
  return new Command("list-model-pricing")
    .description(
      "print the USD prices per 1M tokens used for cost reports (RLM_PRICING_FILE adds or overrides)",
    )
    .option("--json", "print the table as JSON")
    .action(async (flags: { json?: boolean }) => {
      const table = await loadPricing();
      if (flags.json) return console.log(JSON.stringify(table));
      const width = Math.max(...Object.keys(table).map((m) => m.length));
      console.log(`${"model".padEnd(width)}  input $/1M  output $/1M`);
      for (const [model, p] of Object.entries(table).sort()) {
        console.log(
          `${model.padEnd(width)}  ${p.input.toFixed(2).padStart(10)}  ${
            p.output.toFixed(2).padStart(11)
          }`,
        );
      }
      console.log("Models not listed still run; their cost is reported as unknown.");
    });
}
