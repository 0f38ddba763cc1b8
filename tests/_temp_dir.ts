/**
 * Test helper: a temp folder that `await using` removes, whatever the test did.
 *
 * @module
 */

/** A new temp folder named `<prefix>XXXX`, removed with everything in it when disposed. */
export async function tempDir(prefix = "rlm-test-"): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}
