/**
 * `rlm trace view TRACE.json [-o OUT.html] [--open]`: render a trace as an offline HTML page.
 *
 * @module
 */
import { Command } from "commander";
import { UsageError } from "../protocol/errors.ts";
import { TRACE_VERSION, TraceSchema } from "../protocol/trace.ts";
import { renderTraceHtml } from "../trace/render_html.ts";

/** The `trace` command. */
export function traceCommand(): Command {
  const trace = new Command("trace").description("look at execution traces");
  trace.command("view")
    .description("render a trace (from --trace) as one self-contained HTML page that works offline")
    .argument("<trace>", "trace file (JSON)")
    .option("-o, --output <file>", "where to write the page (default: the trace path with .html)")
    .option("--open", "open the page in the default browser")
    .action(async (path: string, flags: { output?: string; open?: boolean }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(await Deno.readTextFile(path));
      } catch (error) {
        const reason = error instanceof Deno.errors.NotFound
          ? "no such file"
          : (error as Error).message;
        throw new UsageError(`Cannot read trace "${path}": ${reason}`);
      }
      const version = (raw as { version?: unknown })?.version;
      if (version !== TRACE_VERSION && version !== 1) {
        throw new UsageError(
          `"${path}" is not an rlm trace of version 1 or ${TRACE_VERSION} (version: ${
            JSON.stringify(version ?? null)
          })`,
        );
      }
      const parsed = TraceSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(
          `Trace "${path}" is malformed at "${issue.path.join(".")}": ${issue.message}`,
        );
      }
      const out = flags.output ?? path.replace(/\.json$/i, "") + ".html";
      await Deno.writeTextFile(out, renderTraceHtml(parsed.data));
      console.log(out);
      if (flags.open) await openInBrowser(out);
    });
  return trace;
}

async function openInBrowser(path: string): Promise<void> {
  const opener = Deno.build.os === "darwin"
    ? "open"
    : Deno.build.os === "windows"
    ? "explorer"
    : "xdg-open";
  try {
    const { success } = await new Deno.Command(opener, {
      args: [path],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!success) throw new Error(`${opener} failed`);
  } catch {
    throw new Error(`Cannot open a browser (${opener} is not available); open ${path} yourself`);
  }
}
