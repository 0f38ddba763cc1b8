/**
 * The `rlm` command line: the only place that exits the process or maps errors to exit codes.
 *
 * Exit codes (docs/reference/cli.md): 0 answered; 1 the machinery failed (an
 * `InfrastructureError`: sandbox, Nix, provider, a changed context file) or anything unexpected;
 * 2 bad usage or bad input (`UsageError`, an `OpError` that is not caused by a failure of the
 * machinery); 3 a budget ran out (`BudgetExceededError`).
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { BudgetExceededError, InfrastructureError, UsageError } from "./src/protocol/errors.ts";
import { OpError } from "./src/ops/op_error.ts";
import { isModelMistake } from "./src/loop/model_mistake.ts";
import { VERSION } from "./src/version.ts";
import { execCommand } from "./src/cli/exec_command.ts";
import { benchCommand } from "./src/cli/bench_command.ts";
import { cacheCommand } from "./src/cli/cache_command.ts";
import { pricingCommand } from "./src/cli/pricing_command.ts";
import { runCommand } from "./src/cli/run_command.ts";
import { traceCommand } from "./src/cli/trace_command.ts";

/** Build the whole command tree. */
function program(): Command {
  const root = new Command("rlm")
    .description("Answer questions about contexts far larger than a model's window.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError(false)
    .exitOverride();
  root.addCommand(runCommand());
  root.addCommand(execCommand());
  root.addCommand(cacheCommand());
  root.addCommand(traceCommand());
  root.addCommand(benchCommand());
  root.addCommand(pricingCommand());
  const configure = (cmd: Command) => {
    cmd.exitOverride().configureOutput({
      outputError: (text, write) => write(`rlm: ${text.replace(/^error: /, "")}`),
    });
    cmd.commands.forEach(configure);
  };
  configure(root);
  return root;
}

/** Map an error to an exit code and a one-line message. */
function classify(error: unknown): { code: number; message: string } {
  if (error instanceof UsageError || (error instanceof OpError && isModelMistake(error))) {
    return { code: 2, message: error.message };
  }
  if (error instanceof InfrastructureError) return { code: 1, message: error.message };
  if (error instanceof BudgetExceededError) return { code: 3, message: error.message };
  if (error instanceof Error) return { code: 1, message: error.message };
  return { code: 1, message: String(error) };
}

async function main(args: string[]): Promise<number> {
  try {
    await program().parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print themselves and exit 0; commander already printed its error.
      return error.exitCode === 0 ? 0 : 2;
    }
    const { code, message } = classify(error);
    console.error(`rlm: ${message.split("\n")[0]}`);
    if (Deno.env.get("RLM_DEBUG") && error instanceof Error) console.error(error.stack);
    return code;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
