/**
 * The strategies of `combine` computed without a model (kept free of zod, so the Nix builder's
 * bundle stays small).
 *
 * @module
 */

/** Strategies of `combine` computed without a model; any other strategy is a prompt. */
export const BUILTIN_COMBINE_STRATEGIES = ["concat", "sum", "vote", "json"] as const;
