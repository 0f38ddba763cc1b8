/**
 * Reading a sandbox child's stdin in parts: a frame (a decimal length line, then that many
 * bytes), then the rest until the host closes it.
 *
 * @module
 */

/** A reader of `stream` in frames. */
export interface FramedStdin {
  /** The next frame's bytes. */
  frame(): Promise<Uint8Array>;
  /** Everything left, until the stream ends. */
  rest(): Promise<Uint8Array>;
}

/** Read `stream` (the child's stdin) as frames. */
export function readStdin(stream: ReadableStream<Uint8Array>): FramedStdin {
  const reader = stream.getReader();
  let buffered = new Uint8Array(0);
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    const next = await reader.read();
    if (next.done) {
      done = true;
      return false;
    }
    const joined = new Uint8Array(buffered.length + next.value.length);
    joined.set(buffered);
    joined.set(next.value, buffered.length);
    buffered = joined;
    return true;
  };
  const take = (n: number) => {
    const head = buffered.slice(0, n);
    buffered = buffered.slice(n);
    return head;
  };
  return {
    async frame() {
      let nl: number;
      while ((nl = buffered.indexOf(10)) === -1) {
        if (!await more()) throw new Error("stdin ended before a frame's length line");
      }
      const size = Number(new TextDecoder().decode(take(nl + 1)).trim());
      if (!Number.isSafeInteger(size) || size < 0) throw new Error("bad frame length on stdin");
      const chunks: Uint8Array[] = [];
      // Large frames: collect chunks, join once.
      let have = Math.min(size, buffered.length);
      chunks.push(take(have));
      while (have < size) {
        const next = await reader.read();
        if (next.done) throw new Error("stdin ended inside a frame");
        const need = size - have;
        if (next.value.length > need) {
          chunks.push(next.value.subarray(0, need));
          buffered = next.value.slice(need);
          have = size;
        } else {
          chunks.push(next.value);
          have += next.value.length;
        }
      }
      const frame = new Uint8Array(size);
      let off = 0;
      for (const c of chunks) {
        frame.set(c, off);
        off += c.length;
      }
      return frame;
    },
    async rest() {
      while (await more()) { /* read to the end */ }
      return take(buffered.length);
    },
  };
}
