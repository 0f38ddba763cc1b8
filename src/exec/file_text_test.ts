import { assertEquals } from "../../tests/_assert.ts";
import { hashValue } from "../cache/hash.ts";
import { bytesHashIfExact, fileTextBinding, PIECE_BYTES } from "./file_text.ts";

async function snapshotOf(
  bytes: Uint8Array,
  fn: (s: { path: string; size: number; mtime: number | null }) => void,
) {
  const path = await Deno.makeTempFile({ prefix: "rlm-file-text-" });
  try {
    await Deno.writeFile(path, bytes);
    const info = await Deno.stat(path);
    fn({ path, size: info.size, mtime: info.mtime?.getTime() ?? null });
  } finally {
    await Deno.remove(path);
  }
}

const PIECE = PIECE_BYTES;

Deno.test("the hash comes from the bytes when a character straddles every read boundary", async () => {
  // "€" is 3 bytes: with this padding one sits across the first boundary with 1, 2 bytes before it.
  for (const pad of [PIECE - 1, PIECE - 2, PIECE - 3]) {
    const text = "a".repeat(pad) + "€😀\n" + "é".repeat(100) + "\n";
    await snapshotOf(new TextEncoder().encode(text), (s) => {
      assertEquals(bytesHashIfExact(s), hashValue(text), `pad ${pad}`);
      assertEquals(fileTextBinding(s).hash, hashValue(text));
    });
  }
});

Deno.test("the bytes are not used for the hash when they are not the text's UTF-8", async () => {
  const cases: [string, number[]][] = [
    ["a stray continuation byte", [0x61, 0x80, 0x0a]],
    ["a character cut short at the end", [0x61, 0x0a, 0xe2, 0x82]],
    ["a byte-order mark", [0xef, 0xbb, 0xbf, 0x61]],
  ];
  for (const [what, bytes] of cases) {
    const raw = new Uint8Array(bytes);
    await snapshotOf(raw, (s) => {
      assertEquals(bytesHashIfExact(s), undefined, what);
      assertEquals(fileTextBinding(s).hash, hashValue(new TextDecoder().decode(raw)), what);
    });
  }
  // Invalid bytes right after a read boundary, after a character cut by it.
  const big = new Uint8Array(PIECE + 4).fill(0x61);
  big.set([0xe2, 0x82], PIECE - 2);
  big[PIECE] = 0x61; // "€" never completes
  await snapshotOf(big, (s) => assertEquals(bytesHashIfExact(s), undefined));
});
