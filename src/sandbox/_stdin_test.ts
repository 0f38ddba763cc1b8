import fc from "fast-check";
import { assertEquals } from "../../tests/_assert.ts";
import { readStdin } from "./_stdin.ts";
import { readBounded } from "./_bounded_read.ts";

/** A stream that yields `bytes` cut at `cuts`. */
function streamOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.slice(last, p));
    last = p;
  }
  return ReadableStream.from(parts);
}

Deno.test("readStdin: a frame then the rest, however the stream is cut", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 50 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (frame, rest, cuts) => {
        const head = new TextEncoder().encode(`${frame.length}\n`);
        const all = new Uint8Array([...head, ...frame, ...rest]);
        const stdin = readStdin(streamOf(all, cuts));
        assertEquals(await stdin.frame(), frame);
        assertEquals(await stdin.rest(), rest);
      },
    ),
  );
});

Deno.test("readBounded: keeps exactly the last bytes, however the stream is cut", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ maxLength: 200, unit: "binary-ascii" }),
      fc.integer({ min: 1, max: 64 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (text, keep, cuts) => {
        const bytes = new TextEncoder().encode(text);
        const got = await readBounded(streamOf(bytes, cuts), keep);
        const tail = text.slice(-keep);
        assertEquals(got, bytes.length > keep ? `…${tail}` : text);
      },
    ),
  );
});
