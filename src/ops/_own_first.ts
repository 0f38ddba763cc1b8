/**
 * The order of the op lists derived from the specs (the prompt's, the docs' tables).
 *
 * @module
 */
/**
 * The items `of` each spec that `keep` keeps: first every op's own (its first item), in the
 * specs' order, then the others (variants such as `combine` with a prompt), in the same order.
 */
export function ownFirst<S, T>(
  specs: readonly S[],
  of: (spec: S) => readonly T[],
  keep: (item: T) => boolean,
): [S, T][] {
  const own = specs.filter((s) => of(s).length > 0 && keep(of(s)[0]));
  const rest = specs.flatMap((s) => of(s).slice(1).filter(keep).map((t): [S, T] => [s, t]));
  return [...own.map((s): [S, T] => [s, of(s)[0]]), ...rest];
}
