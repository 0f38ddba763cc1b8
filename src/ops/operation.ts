/**
 * The types of a validated operation, derived from the op specs (`src/ops/*_spec.ts`).
 *
 * @module
 */
import type { z } from "zod";
import type { OP_SPECS } from "./_op_specs.ts";

/** The name of an op. */
export type OpName = keyof typeof OP_SPECS;

/** The validated args of op `K` (variable args still hold names). */
export type OpArgs<K extends OpName> = z.output<(typeof OP_SPECS)[K]["args"]>;

/** A validated operation of op `K`. */
export interface OperationOf<K extends OpName> {
  op: K;
  args: OpArgs<K>;
  bind?: string;
}

/** A validated operation: a known op with args of the right shape. */
export type Operation = { [K in OpName]: OperationOf<K> }[OpName];
