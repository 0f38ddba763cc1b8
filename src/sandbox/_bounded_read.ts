/**
 * Read a child's stream to its end, keeping only its last bytes: a child that writes gigabytes
 * to stderr costs the host nothing but the reading.
 *
 * @module
 */

/** The text of the last `keep` bytes of `stream` (prefixed with "…" when some were dropped). */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  keep: number,
): Promise<string> {
  let tail = new Uint8Array(0);
  let dropped = false;
  try {
    for await (const chunk of stream) {
      if (chunk.length >= keep) {
        // Something is dropped unless this chunk is all there was and fits exactly.
        if (chunk.length > keep || tail.length > 0) dropped = true;
        tail = chunk.slice(chunk.length - keep);
        continue;
      }
      const joined = new Uint8Array(Math.min(keep, tail.length + chunk.length));
      const fromTail = joined.length - chunk.length;
      if (fromTail < tail.length) dropped = true;
      joined.set(tail.subarray(tail.length - fromTail));
      joined.set(chunk, fromTail);
      tail = joined;
    }
  } catch { /* the child was killed mid-write */ }
  const text = new TextDecoder().decode(tail);
  return dropped ? `…${text}` : text;
}
