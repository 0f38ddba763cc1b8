/**
 * `-v`: live progress on stderr that a person can follow, plain when stderr is not a terminal
 * or `NO_COLOR` is set.
 *
 * @module
 */
import type { OpEvent } from "../exec/run_plan.ts";
import { isSubCall } from "../ops/is_sub_call.ts";
import type { ChatResponse } from "../llm/port.ts";
import type { CallRecord, StepRecord } from "../protocol/trace.ts";

/** Progress callbacks for `rlm()`, writing to stderr. */
export function progressPrinter() {
  const color = Deno.stderr.isTerminal() && !Deno.env.get("NO_COLOR");
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  const write = (line: string) => console.error(line);
  const start = performance.now();
  let calls = 0;
  let hits = 0;
  let tokens = 0;
  let cost = 0;
  let costUnknown = false;
  let modelMs = 0;
  let opMs = 0;
  const who = (c: CallRecord) => (c.kind === "root" ? "root" : `${c.kind}#${c.id} d${c.depth}`);
  const fanOutDone = new Map<string, number>();
  const bar = (done: number, of: number) => {
    const width = 16;
    const full = Math.round((done / of) * width);
    return `[${"#".repeat(full)}${"-".repeat(width - full)}]`;
  };
  const t = () => dim(`[${((performance.now() - start) / 1000).toFixed(1)}s]`);
  return {
    onModelCall(call: CallRecord, r: ChatResponse) {
      if (r.cached) hits++;
      else {
        calls++;
        modelMs += r.latencyMs;
        tokens += r.usage.promptTokens + r.usage.completionTokens;
        if (r.costUsd === null) costUnknown = true;
        else cost += r.costUsd;
      }
      const spawn = call.spawned_by;
      let item = "";
      if (spawn?.item !== undefined && spawn.of) {
        // Completed sub-calls of the op (a map) that fans out to this call's items, as a bar.
        const key = `${call.depth}/${spawn.op}/${spawn.of}`;
        const done = (fanOutDone.get(key) ?? 0) + 1;
        fanOutDone.set(key, done === spawn.of ? 0 : done);
        item = ` ${spawn.op} ${bar(done, spawn.of)} ${done}/${spawn.of}`;
      }
      const money = costUnknown ? "cost unknown" : `$${cost.toFixed(4)}`;
      write(
        `${t()} ${who(call)}${item} model ${
          r.cached ? "cache hit" : `${Math.round(r.latencyMs)} ms`
        }` +
          `${
            r.retries ? `, ${r.retries} retries` : ""
          } | calls ${calls}, hits ${hits}, tokens ${tokens}, ${money}`,
      );
    },
    onStep(call: CallRecord, step: StepRecord) {
      if (step.mode === "invalid") write(`${t()} ${who(call)} invalid reply: ${step.error}`);
      else if (step.mode === "final") {
        write(`${t()} ${who(call)} final${step.error ? ` rejected: ${step.error}` : ""}`);
      } else if (step.error) write(`${t()} ${who(call)} ${step.mode} failed: ${step.error}`);
    },
    onOp(call: CallRecord, e: OpEvent) {
      const subCalls = isSubCall(e.op);
      if (e.phase === "start" && subCalls) {
        write(`${t()} ${who(call)} ${e.op.op}: starting sub-calls`);
        return;
      }
      if (e.phase !== "end") return;
      // The time of an op with sub-calls is model time, counted by onModelCall.
      if (!subCalls) opMs += e.ms ?? 0;
      const what = e.error
        ? `failed: ${e.error}`
        : `${e.kind} ${e.size}${e.kind === "list" ? " items" : " chars"}${
          e.cached ? ", cached" : ""
        }`;
      write(
        `${t()} ${who(call)} ${e.op.op}${e.op.bind ? ` -> ${e.op.bind}` : ""} ${
          Math.round(e.ms ?? 0)
        } ms, ${what}`,
      );
    },
    onRetry(info: { attempt: number; delayMs: number; reason: string }) {
      write(`${t()} retry ${info.attempt} in ${Math.round(info.delayMs)} ms: ${info.reason}`);
    },
    summary(
      totals: {
        llm_calls: number;
        cache_hits: number;
        prompt_tokens: number;
        completion_tokens: number;
        cost_usd: number | null;
        duration_ms: number;
      },
    ) {
      const all = totals.llm_calls + totals.cache_hits;
      const rate = all === 0 ? "n/a" : `${Math.round((100 * totals.cache_hits) / all)}%`;
      write(
        `${t()} done: ${totals.llm_calls} model calls, ${totals.cache_hits} cache hits (${rate}), ` +
          `${totals.prompt_tokens + totals.completion_tokens} tokens, ` +
          `${totals.cost_usd === null ? "cost unknown" : `$${totals.cost_usd.toFixed(4)}`}, ${
            (totals.duration_ms / 1000).toFixed(1)
          } s (model calls ${(modelMs / 1000).toFixed(1)} s summed over parallel calls, ops ${
            (opMs / 1000).toFixed(1)
          } s)`,
      );
    },
  };
}
