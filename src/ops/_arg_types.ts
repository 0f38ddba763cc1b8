/**
 * The zod building blocks of op args, with the messages the model is shown.
 *
 * @module
 */
import { z } from "zod";

/** An integer arg. */
export const int = z.number().int("must be an integer");
/** An integer arg of 0 or more. */
export const nonNegInt = int.min(0, "must be 0 or more");
/** An integer arg of 1 or more. */
export const posInt = int.min(1, "must be 1 or more");
/** A text arg. */
export const text = z.string();
