/**
 * Parallel scans of a big context file: an op that splits over line-aligned parts (grep, count)
 * runs on byte ranges of the file at once, one range here and the others in workers, and the
 * parts' results are merged in order. Same bytes as running it on the whole text.
 *
 * @module
 */
import { lineParts, type OperationParts } from "../../ops/line_parts.ts";
import type { Operation } from "../../ops/operation.ts";
import type { Binding, TextFileSource, Value } from "../../protocol/value.ts";
import { lineAlignedSplits, openSource, readFilePieces } from "../file_pieces.ts";
import type { PartRequest, PartResponse } from "./_parts_worker.ts";

/** Options of `runInParts`. */
export interface RunInPartsOptions {
  /** How many parts at most (default: the number of CPU cores). */
  parallel?: number;
  /** Bytes each part should have at least, so a worker's start-up pays off (default 32 MiB). */
  minPartBytes?: number;
  /** Cancels the workers. */
  signal?: AbortSignal;
}

/**
 * Run `op` over its `input` in parallel parts when it splits over lines and the input is a big
 * context file; undefined when it does not apply (then run the op as usual).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { hashValue } from "../../cache/hash.ts";
 * import { parseOperation } from "../../ops/parse_operation.ts";
 * // A text in memory, not a context file: the op runs as usual instead.
 * const vars = new Map([["context", { value: "a\nb\n", hash: hashValue("a\nb\n") }]]);
 * const op = parseOperation({ op: "count", args: { input: "context" } });
 * assertEquals(runInParts(op, vars), undefined);
 * ```
 */
export function runInParts(
  op: Operation,
  vars: ReadonlyMap<string, Binding>,
  options: RunInPartsOptions = {},
): Promise<Value> | undefined {
  const parts = lineParts(op);
  const input = "input" in op.args ? vars.get(op.args.input as string) : undefined;
  const source = input?.source;
  if (parts === undefined || source === undefined) return undefined;
  const parallel = options.parallel ?? navigator.hardwareConcurrency ?? 1;
  const wanted = Math.min(parallel, Math.floor(source.size / (options.minPartBytes ?? 32 << 20)));
  if (wanted < 2) return undefined;
  const ranges = lineAlignedSplits(source, wanted);
  if (ranges.length < 2) return undefined;
  return runRanges(op, parts, source, ranges, options.signal);
}

async function runRanges(
  op: Operation,
  parts: OperationParts,
  source: TextFileSource,
  ranges: [number, number][],
  signal?: AbortSignal,
): Promise<Value> {
  // A listener added to a signal that already fired is never called: start no worker then.
  if (signal?.aborted) throw signal.reason ?? new Error("Cancelled");
  const workers = ranges.slice(1).map(() =>
    new Worker(new URL("./_parts_worker.ts", import.meta.url), { type: "module" })
  );
  const stop = () => workers.forEach((w) => w.terminate());
  // One listener stops the workers and rejects every pending part.
  const rejects: ((reason: unknown) => void)[] = [];
  const onAbort = () => {
    stop();
    rejects.forEach((reject) => reject(signal?.reason));
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const pending = workers.map((worker, i) => {
      const [start, end] = ranges[i + 1];
      return new Promise<string | number>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<PartResponse>) =>
          e.data.ok ? resolve(e.data.part) : reject(new Error(e.data.message));
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`a parallel ${op.op} worker failed: ${e.message}`));
        };
        rejects.push(reject);
        worker.postMessage({ op, source, start, end } satisfies PartRequest);
      });
    });
    // Keep every rejection handled while this thread scans the first range.
    pending.forEach((p) => p.catch(() => {}));
    const first = parts.part(readFilePieces(source, ranges[0][0], ranges[0][1]));
    // A part that failed because the file changed says so (a worker's error is a plain message).
    const rest = await Promise.all(pending).catch((error) => {
      openSource(source).close();
      throw error;
    });
    return parts.merge([first, ...rest]);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop();
  }
}
