/**
 * The one description of an op that everything but its implementation is derived from: the
 * parser, the system prompt, the docs table, the cache key, the executors' dispatch by effect
 * (docs/reference/ops.md). `deno task gen` collects the `src/ops/*_spec.ts` files.
 *
 * @module
 */
import type { z } from "zod";
import type { Value } from "../protocol/value.ts";

/**
 * What an op needs beyond its variables: nothing (`pure`: the executor may cache it, run it in
 * Nix), the Python sandbox (`sandbox`), or a model (`sub-call`: only in a commit, never cached).
 */
export type OpEffect = "pure" | "sandbox" | "sub-call";

/** The zod schema of an op's args: a strict object, refinements included. */
export type OpArgsSchema = z.ZodObject<z.core.$ZodShape, z.core.$strict>;

/** A line of the system prompt's op list, shown when the effect it `needs` is available. */
export interface OpPromptLine {
  /** `pure` lines are always shown; `sandbox` ones when eval is on; `sub-call` ones with a model. */
  needs: OpEffect;
  /** The line, e.g. `grep {input, pattern, ...} -> text: ...` (the prompt adds the `- `). */
  line: string;
  /**
   * How the prompt's other sentences name what this line describes, when not by the op's name
   * (a variant: `prompt combine`).
   */
  label?: string;
}

/** A row of the op tables of docs/reference/ops.md. */
export interface OpDocRow {
  /** The table: `pure` (Pure operations) or `effects` (Operations with effects). */
  table: "pure" | "effects";
  /** The op column, when it is not the op's name in backticks (e.g. a variant of the op). */
  op?: string;
  /** The args column (markdown). */
  args: string;
  /** The result column (markdown). */
  result: string;
}

/** How an op with args `A` splits over line-aligned parts of its `input` text. */
export interface LineParts<A, P extends string | number> {
  /** The op's result over one part (a structured-clonable value, sent back by a worker). */
  part(args: A, pieces: Iterable<string>): P;
  /** The op's result from its parts' results, in text order. */
  merge(parts: P[]): Value;
}

/**
 * The spec of op `N` with args schema `S`. A spec file `src/ops/<op>_spec.ts` exports one as
 * `<camelCase op>Spec`; its implementation is `src/ops/<op>.ts`.
 */
export interface OpSpec<N extends string = string, S extends OpArgsSchema = OpArgsSchema> {
  /** The op's name, as the model writes it. */
  name: N;
  /** Where the op comes in the prompt, the docs and the parser's op list (ascending). */
  order: number;
  /** The export of `src/ops/<op>.ts` that implements the op. Default: the camelCase name. */
  implementation?: string;
  /** The args: types, defaults and the combinations allowed (refinements with the arg as path). */
  args: S;
  /** What the op needs: one effect, or one that depends on the args (`combine`'s strategy). */
  effect: OpEffect | ((args: z.output<S>) => OpEffect);
  /** The args that name variables (a name or a list of names); every other arg is a literal. */
  variableArgs: readonly (keyof z.output<S> & string)[];
  /** Whether the op reads every variable with these args (`eval` without `inputs`). */
  readsEveryVar?: (args: z.output<S>) => boolean;
  /**
   * Whether the op sees its variables by name (`eval`: they are Python globals), so the cache
   * key holds each variable's name and hash instead of its variable args.
   */
  seesNames?: boolean;
  /**
   * How the op splits over line-aligned parts of its input, when it does with these args. An
   * export of `src/ops/<op>.ts`: the registry lists it for the scan workers, which load no spec.
   */
  lineParts?: (
    args: z.output<S>,
  ) => LineParts<z.output<S>, string> | LineParts<z.output<S>, number> | undefined;
  /** The lines of the system prompt's op list (the first is the op's own). */
  prompt: readonly OpPromptLine[];
  /** The rows of the docs' op tables (the first is the op's own). */
  docs: readonly OpDocRow[];
  /** An operation as a model writes it (a test parses it). */
  example: { op: N; args: Record<string, unknown>; bind?: string };
}
