/**
 * The ports through which effectful work reaches the world: a model sub-call and the Python
 * sandbox. Implementations live in `loop/` and `sandbox/`; ops and executors see only these.
 *
 * @module
 */
import type { Value } from "./value.ts";

/** Where a sub-call comes from, for progress and traces. */
export interface SubCallMeta {
  /** The op that spawned the call (one whose effect is `sub-call`). */
  op: string;
  /** The item the call is for, in input order, when the op calls once per item (`map`). */
  index?: number;
  /** How many items the op calls for, when it calls once per item. */
  of?: number;
}

/** A model sub-call: answer `query` about `context` (docs/reference/protocol.md). */
export interface SubCallPort {
  call(
    query: string,
    context: string,
    options: { meta: SubCallMeta; signal?: AbortSignal },
  ): Promise<string>;
}

/** The Python sandbox (docs/explanation/sandbox.md): runs code with named variables, returns stdout or `result`. */
export interface SandboxPort {
  /** Identity of the runtime (e.g. `pyodide@314.0.7`, `wasi:<sha256 of python.wasm>`); part of cache keys. */
  readonly identity: string;
  run(
    code: string,
    vars: Record<string, Value>,
    options?: { signal?: AbortSignal },
  ): Promise<string>;
}
