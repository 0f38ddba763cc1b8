/**
 * Messages between the host and a sandbox child process (docs/explanation/sandbox.md).
 *
 * @module
 */
import { z } from "zod";
import { ValueSchema } from "./value.ts";

/** What the host sends the child on stdin. */
export const SandboxRequestSchema = z.object({
  code: z.string(),
  vars: z.record(z.string(), ValueSchema),
  maxOutputBytes: z.number().int().positive(),
  /**
   * Bytes of files the code may write into an in-memory file system (Pyodide, the WASI shim):
   * files there are memory, so they are bounded too. Past it, a write fails with ENOSPC.
   */
  maxFileBytes: z.number().int().nonnegative().optional(),
});
/** What the host sends the child. */
export type SandboxRequest = z.infer<typeof SandboxRequestSchema>;

/**
 * How an evaluation failed, as the child reports it: the code's fault (`syntax`, `exception`,
 * `memory`, `output`), or `broken`: the interpreter itself could not start (not the code's fault).
 */
export const SandboxFailureKindSchema = z.enum([
  "syntax",
  "exception",
  "memory",
  "output",
  "broken",
]);

/** What the child prints on stdout, as its last line. */
export const SandboxResponseSchema = z.union([
  z.object({ ok: z.literal(true), output: z.string() }),
  z.object({
    ok: z.literal(false),
    kind: SandboxFailureKindSchema,
    message: z.string(),
    line: z.number().optional(),
  }),
]);
/** What the child prints. */
export type SandboxResponse = z.infer<typeof SandboxResponseSchema>;

/** The line a child prints once Python is loaded, before it reads the request. */
export const SANDBOX_READY = "__rlm_sandbox_ready__";
