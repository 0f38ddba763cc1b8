/**
 * The defaults of a run, in one place: the library (`rlm()`), the flags of `rlm run`,
 * `rlm exec` and `rlm bench`, and their `--help` text read them (docs/reference/cli.md).
 *
 * @module
 */

/** Default settings of a run. */
export const DEFAULTS = {
  /** Root model (`--model`, `RLM_MODEL`); sub-calls use it too unless `--child-model`. */
  model: "gpt-5-mini",
  /** Explore steps per call (`--max-explore`). */
  maxExplore: 20,
  /** Commit cycles per call (`--max-commits`). */
  maxCommits: 5,
  /** Sub-call depth (`--max-depth`): 1 is direct calls. */
  maxDepth: 1,
  /** Model calls in flight across the whole tree (`--max-parallel`). */
  maxParallel: 8,
  /** Largest context of a direct sub-call, in characters (`--max-child-chars`). */
  maxChildChars: 400_000,
  /** Invalid or refused replies in a row after which the model is asked for its final answer. */
  maxBadReplies: 3,
} as const;
