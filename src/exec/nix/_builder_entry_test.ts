import fc from "fast-check";
import { assertEquals, assertThrows } from "../../../tests/_assert.ts";
import { decodeEntry, encodeEntry } from "../../cache/file_store.ts";
import { decodeStoreEntry, encodeEntryAsync } from "./_builder_entry.ts";

// Any UTF-16 string, lone surrogates included (both encoders write them as U+FFFD).
const text = fc.string({ unit: "binary" });
const value = fc.oneof(text, fc.array(text, { maxLength: 5 }));

Deno.test("the builder's WebCrypto entry encoding is encodeEntry, byte for byte", async () => {
  await fc.assert(
    fc.asyncProperty(value, async (v) => {
      assertEquals(await encodeEntryAsync(v), encodeEntry(v));
    }),
  );
});

Deno.test("decodeStoreEntry reads what encodeEntry wrote", () => {
  fc.assert(
    fc.property(value, (v) => {
      assertEquals(decodeStoreEntry(encodeEntry(v), "x"), decodeEntry(encodeEntry(v)));
    }),
  );
});

Deno.test("decodeStoreEntry rejects a list entry whose lengths do not add up", () => {
  const bad = new TextEncoder().encode('{"kind":"list","hash":"00","lengths":[3]}\nab');
  assertThrows(() => decodeStoreEntry(bad, "input context"), Error, "input context");
});
