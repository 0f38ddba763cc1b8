/**
 * Small assertions in the shape of `@std/assert` (not reachable here: no JSR), over
 * `node:assert/strict`.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Fail unless `condition` is truthy. */
export function assert(condition: unknown, message?: string): asserts condition {
  nodeAssert.ok(condition, message);
}

/** Fail unless `actual` deep-equals `expected`. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Fail unless `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(text, pattern, message);
}

/** Fail unless `value` is an instance of `type`. */
export function assertInstanceOf<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
  message?: string,
): asserts value is T {
  nodeAssert.ok(
    value instanceof type,
    message ?? `expected an instance of ${type.name}, got ${String(value)}`,
  );
}

/** Fail unless `fn` throws (an instance of `type`, whose message includes `includes`); return the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  type?: abstract new (...args: never[]) => E,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    return check(error, type, includes);
  }
  throw new nodeAssert.AssertionError({ message: "expected the function to throw" });
}

/** Fail unless `fn` rejects (an instance of `type`, whose message includes `includes`); return the error. */
export async function assertRejects<E extends Error = Error>(
  fn: () => Promise<unknown>,
  type?: abstract new (...args: never[]) => E,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return check(error, type, includes);
  }
  throw new nodeAssert.AssertionError({ message: "expected the promise to reject" });
}

function check<E extends Error>(
  error: unknown,
  type?: abstract new (...args: never[]) => E,
  includes?: string,
): E {
  if (type) assertInstanceOf(error, type);
  const e = error as E;
  if (includes !== undefined) {
    nodeAssert.ok(e.message.includes(includes), `expected "${e.message}" to include "${includes}"`);
  }
  return e;
}
