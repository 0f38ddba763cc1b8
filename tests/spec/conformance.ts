/**
 * The DSL's semantics as data: every case of `ops.json` run through an executor. Both executors
 * call `defineConformanceTests`, so they agree byte for byte.
 *
 * @module
 */
import { hashValue } from "../../src/cache/hash.ts";
import type { Executor } from "../../src/exec/executor.ts";
import { parseOperation } from "../../src/ops/parse_operation.ts";
import type { Binding, Value } from "../../src/protocol/value.ts";
import { assert, assertEquals } from "../_assert.ts";
import { skipUnless } from "../_tools.ts";

/** One case: an op, its args, the variables it sees, and its result or an error substring. */
export interface OpCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Record<string, Value>;
  result?: Value;
  error?: string;
}

/** The cases of tests/spec/ops.json. */
export async function loadOpCases(): Promise<OpCase[]> {
  return JSON.parse(await Deno.readTextFile(new URL("./ops.json", import.meta.url)));
}

/** Run one case on `executor`; throws an assertion error naming the case when it does not hold. */
export async function checkOpCase(executor: Executor, c: OpCase): Promise<void> {
  const vars = new Map<string, Binding>(
    Object.entries(c.inputs).map(([k, v]) => [k, { value: v, hash: hashValue(v) }]),
  );
  let outcome: { value?: Value; error?: string };
  try {
    const op = parseOperation({ op: c.op, args: c.args });
    const [o] = await executor.run([{ op, vars }]);
    outcome = o.ok ? { value: o.value } : { error: o.error.message };
  } catch (error) {
    outcome = { error: error instanceof Error ? error.message : String(error) };
  }
  if (c.error !== undefined) {
    assert(
      outcome.error !== undefined,
      `${c.name}: expected an error, got ${JSON.stringify(outcome.value)}`,
    );
    assert(
      outcome.error.includes(c.error),
      `${c.name}: error "${outcome.error}" lacks "${c.error}"`,
    );
  } else {
    assertEquals(outcome.error, undefined, `${c.name}: unexpected error ${outcome.error}`);
    assertEquals(outcome.value, c.result, c.name);
  }
}

/** Register one test whose steps are the cases, for the executor `makeExecutor` builds. */
export function defineConformanceTests(
  executorName: string,
  makeExecutor: () => Executor | Promise<Executor>,
  options: { skip?: string } = {},
): void {
  Deno.test({
    ...skipUnless(`ops conformance (${executorName} executor)`, options.skip),
    async fn(t) {
      const executor = await makeExecutor();
      for (const c of await loadOpCases()) {
        await t.step(c.name, () => checkOpCase(executor, c));
      }
    },
  });
}
