/**
 * Every op of the DSL, by name. The type makes a missing op a compile error.
 *
 * @module
 */
import { chunk } from "./chunk.ts";
import { combine } from "./combine.ts";
import { count } from "./count.ts";
import { evalCode } from "./eval.ts";
import { grep } from "./grep.ts";
import { lines } from "./lines.ts";
import { map } from "./map.ts";
import { rlmCall } from "./rlm_call.ts";
import { slice } from "./slice.ts";
import { split } from "./split.ts";
import type { OpRegistry } from "./types.ts";

/** The implementation of each op. */
export const OPS: OpRegistry = {
  slice,
  lines,
  grep,
  count,
  chunk,
  split,
  combine,
  eval: evalCode,
  rlm_call: rlmCall,
  map,
};
