import { assertEquals } from "../../tests/_assert.ts";
import { DEFAULTS } from "./defaults.ts";

Deno.test("the @default of every RlmOptions field with a run default is DEFAULTS' value", async () => {
  const source = await Deno.readTextFile(new URL("./rlm.ts", import.meta.url));
  const documented = new Map(
    [...source.matchAll(/@default \{([^}]*)\}\s*\*\/\s*(\w+)\?:/g)].map((m) => [m[2], m[1]]),
  );
  const fields = Object.keys(DEFAULTS).filter((k) => k !== "maxBadReplies");
  for (const field of fields) {
    assertEquals(
      documented.get(field),
      JSON.stringify(DEFAULTS[field as keyof typeof DEFAULTS]),
      `RlmOptions.${field}`,
    );
  }
});
