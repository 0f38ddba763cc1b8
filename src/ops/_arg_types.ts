/**
 * The zod building blocks of op args, with the messages the model is shown.
 *
 * @module
 */
import { z } from "zod";
import { VarNameSchema } from "../protocol/value.ts";

/** An integer arg. */
export const int = z.number().int("must be an integer");
/** An integer arg of 0 or more. */
export const nonNegInt = int.min(0, "must be 0 or more");
/** An integer arg of 1 or more. */
export const posInt = int.min(1, "must be 1 or more");
/** A text arg. */
export const text = z.string();
/** A text arg that must not be empty. */
export const nonEmptyText = text.min(1, "must not be empty");

/**
 * The args of an op that takes a range of positions of its `input` (`slice`, `lines`): `start`
 * (default `start`) and `end` (default: the end), negative ones counting from the end.
 */
export function rangeArgs(start: number) {
  return z.strictObject({ input: VarNameSchema, start: int.default(start), end: int.optional() });
}
