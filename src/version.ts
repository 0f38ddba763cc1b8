/** The version of rlm, printed by `rlm --version` and recorded in traces. */
export const VERSION = "0.1.0";
