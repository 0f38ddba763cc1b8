/**
 * The shape of an op implementation and the ports through which effectful ops reach the world.
 *
 * @module
 */
import type { LineParts } from "./op_spec.ts";
import type { OpArgs, OpName } from "./operation.ts";
import type { Value } from "../protocol/value.ts";
import type { SandboxPort, SubCallPort } from "../protocol/ports.ts";

/** Read access to the variables an op may reference; every accessor throws `OpError` on misuse. */
export interface Vars {
  /** The value of `name`, which must exist; `arg` names the op arg for error messages. */
  value(name: string, arg: string): Value;
  /** The value of `name`, which must be text. */
  text(name: string, arg: string): string;
  /**
   * The text of `name` as line-aligned pieces whose concatenation is the text: one piece for a
   * text in memory, many for a big context read from its file on demand. The variable is
   * looked up now; the pieces are read as they are iterated.
   */
  textPieces(name: string, arg: string): Iterable<string>;
  /** The value of `name`, which must be a list. */
  list(name: string, arg: string): string[];
  /** Items of several variables: a list contributes all its items, a text one item. */
  items(names: readonly string[], arg: string): string[];
  /** Names of every variable, in binding order. */
  names(): string[];
}

/** Effects handed to ops. A missing port makes the ops that need it fail with a clear error. */
export interface OpPorts {
  /** Sub-calls to a model, for `rlm_call`, `map` and prompt `combine`. */
  subCall?: SubCallPort;
  /** The Python sandbox, for `eval`. */
  sandbox?: SandboxPort;
  /** Cancels the op: long scans stop between blocks, sub-calls and the sandbox are aborted. */
  signal?: AbortSignal;
}

/** One op: a function of its validated args and the variables it references. */
export type OpImpl<K extends OpName> = (
  args: OpArgs<K>,
  vars: Vars,
  ports: OpPorts,
) => Value | Promise<Value>;

/** Every op, by name: a missing op fails to compile. */
export type OpRegistry = { [K in OpName]: OpImpl<K> };

/** How op `K` splits over line-aligned parts of its input with these args (the spec's `lineParts`). */
export type OpLineParts<K extends OpName> = (
  args: OpArgs<K>,
) => LineParts<OpArgs<K>, string> | LineParts<OpArgs<K>, number> | undefined;

/** The ops that may split over line-aligned parts, by name. */
export type LinePartsRegistry = { [K in OpName]?: OpLineParts<K> };
