/**
 * A worker of `runInParts`: runs one line-splittable op over a byte range of a context file and
 * posts the part's result back. Its module graph is small (the ops' code: no spec, no zod, no
 * Node built-ins) so it starts fast.
 *
 * @module
 */
import type { Operation } from "../../ops/operation.ts";
import type { TextFileSource } from "../../protocol/value.ts";
import { lineParts } from "../../ops/line_parts.ts";
import { readFilePieces } from "../file_pieces.ts";

/** What the worker is asked to do. */
export interface PartRequest {
  op: Operation;
  source: TextFileSource;
  start: number;
  end: number;
}

/** What it answers. */
export type PartResponse = { ok: true; part: string | number } | { ok: false; message: string };

/** The worker's global scope (this file is type-checked with the main program's types). */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<PartRequest>) => void;
  postMessage(message: PartResponse): void;
};

scope.onmessage = (event) => {
  const { op, source, start, end } = event.data;
  let response: PartResponse;
  try {
    const parts = lineParts(op);
    if (parts === undefined) throw new Error(`${op.op} does not split into line parts`);
    response = { ok: true, part: parts.part(readFilePieces(source, start, end)) };
  } catch (error) {
    response = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(response);
};
