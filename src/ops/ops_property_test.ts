import fc from "fast-check";
import { hashValue } from "../cache/hash.ts";
import type { Operation } from "../protocol/ops.ts";
import type { Binding, Value } from "../protocol/value.ts";
import { assert, assertEquals } from "../../tests/_assert.ts";
import { linePieces } from "../../tests/_line_pieces.ts";
import { parseOperation } from "./parse_operation.ts";
import { OPS } from "./registry.ts";
import type { OpImpl } from "./types.ts";
import { createVars } from "./vars.ts";

/** Run an op on one text variable `t`. */
function run(op: string, args: Record<string, unknown>, t: Value): Value | Promise<Value> {
  const parsed: Operation = parseOperation({ op, args: { input: "t", ...args } });
  const vars = new Map<string, Binding>([["t", { value: t, hash: hashValue(t) }]]);
  return (OPS[parsed.op] as OpImpl<typeof parsed.op>)(
    parsed.args as never,
    createVars(vars),
    {},
  );
}

// Texts made of a few characters, newlines and CR, so lines and edge cases are frequent.
const text = fc.string({
  unit: fc.constantFrom("a", "b", " ", "\n", "\r", "é", "😀"),
  maxLength: 300,
});

Deno.test("chunk by size loses nothing, keeps order and respects the size", () => {
  fc.assert(fc.property(text, fc.integer({ min: 1, max: 50 }), (t, size) => {
    const pieces = run("chunk", { size }, t) as string[];
    assertEquals(pieces.join(""), t);
    for (const p of pieces) {
      assert(p.length > 0, "no empty piece");
      // A piece over the size limit never happens: long lines are cut.
      assert(p.length <= size, `piece of ${p.length} > ${size}`);
    }
  }));
});

Deno.test("chunk by size cuts a line only when it alone exceeds the size", () => {
  fc.assert(fc.property(text, fc.integer({ min: 1, max: 50 }), (t, size) => {
    const pieces = run("chunk", { size }, t) as string[];
    let offset = 0;
    for (const p of pieces.slice(0, -1)) {
      offset += p.length;
      if (!p.endsWith("\n")) {
        // The cut is inside a line: that line must be longer than size.
        const start = t.lastIndexOf("\n", offset - 1) + 1;
        const endNl = t.indexOf("\n", offset);
        const end = endNl === -1 ? t.length : endNl + 1; // the line with its "\n"
        assert(end - start > size, `cut a line of ${end - start} chars with size ${size}`);
      }
    }
  }));
});

Deno.test("chunk by n loses nothing and gives at most n pieces", () => {
  fc.assert(fc.property(text, fc.integer({ min: 1, max: 20 }), (t, n) => {
    const pieces = run("chunk", { n }, t) as string[];
    assertEquals(pieces.join(""), t);
    assert(pieces.length <= n, `${pieces.length} pieces > ${n}`);
    for (const p of pieces.slice(0, -1)) assert(p.endsWith("\n"), "pieces end at line ends");
  }));
});

Deno.test("split loses nothing: joining with the delimiter gives the input back", () => {
  fc.assert(fc.property(text, fc.constantFrom("a", "\n", "ab", " b", "\r\n"), (t, delimiter) => {
    const parts = run("split", { delimiter }, t) as string[];
    assertEquals(parts.join(delimiter), t);
  }));
});

Deno.test("slice follows Python's slicing rules", () => {
  fc.assert(
    fc.property(
      text,
      fc.integer({ min: -400, max: 400 }),
      fc.integer({ min: -400, max: 400 }),
      (t, s, e) => {
        const len = t.length;
        const clamp = (i: number) => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));
        const expected = clamp(e) <= clamp(s) ? "" : t.slice(clamp(s), clamp(e));
        assertEquals(run("slice", { start: s, end: e }, t), expected);
      },
    ),
  );
});

Deno.test("grep returns exactly the lines that contain a match, in order", async () => {
  const patterns = ["a", "b+", "^a", "a$", "é|😀", "a\\s", "[^a]b"];
  await fc.assert(fc.asyncProperty(text, fc.constantFrom(...patterns), async (t, pattern) => {
    const got = await run("grep", { pattern }, t) as string;
    const lines = t === "" ? [] : t.replace(/\n$/, "").split("\n");
    // Each line is tested alone, so ^ and $ are its ends; "\r" is an ordinary character.
    const expected = lines.filter((l) => new RegExp(pattern, "u").test(l));
    assertEquals(got, expected.map((l) => l + "\n").join(""));
  }));
});

Deno.test("count lines agrees with the lines op", async () => {
  await fc.assert(fc.asyncProperty(text, async (t) => {
    const n = Number(await run("count", { mode: "lines" }, t));
    const all = run("lines", {}, t) as string;
    assertEquals(n, t === "" ? 0 : all.split("\n").length);
  }));
});

async function sum(items: string[]): Promise<Value> {
  const parsed = parseOperation({ op: "combine", args: { inputs: ["l"], strategy: "sum" } });
  const vars = new Map<string, Binding>([["l", { value: items, hash: hashValue(items) }]]);
  return await OPS.combine(parsed.args as never, createVars(vars), {});
}

Deno.test("combine sum adds integers and decimals exactly", async () => {
  const ints = fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 20 });
  await fc.assert(fc.asyncProperty(ints, async (ns) => {
    assertEquals(await sum(ns.map((n) => `value: ${n}`)), String(ns.reduce((a, b) => a + b, 0)));
  }));
  const cents = fc.array(fc.integer({ min: 0, max: 99_999 }), { maxLength: 10 });
  await fc.assert(fc.asyncProperty(cents, async (cs) => {
    const total = cs.reduce((a, b) => a + b, 0);
    const expected = total % 100 === 0
      ? String(total / 100)
      : (total / 100).toFixed(2).replace(/0$/, "");
    assertEquals(await sum(cs.map((c) => (c / 100).toFixed(2))), expected);
  }));
});

Deno.test("grep and count over line-aligned pieces equal grep and count over the whole text", async () => {
  const pattern = fc.constantFrom("a", "^", "$", "^$", "b+", "\\s", "(?i)A", "a|é", ".", "\\b");
  const op = fc.oneof(
    pattern.map((p) => ["grep", { pattern: p }] as const),
    pattern.map((p) => ["count", { mode: "matches", pattern: p }] as const),
    fc.constantFrom("lines", "chars", "words").map((m) => ["count", { mode: m }] as const),
  );
  const outcome = async (f: () => Value | Promise<Value>) => {
    try {
      return { value: await f() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  await fc.assert(
    fc.asyncProperty(text, fc.array(fc.boolean()), op, async (t, cuts, [name, args]) => {
      const pieces = linePieces(t, cuts);
      assertEquals(pieces.join(""), t);
      const parsed: Operation = parseOperation({ op: name, args: { input: "t", ...args } });
      const piecewise = new Map<string, Binding>([
        ["t", { value: t, hash: hashValue(t), pieces: () => pieces }],
      ]);
      const whole = await outcome(() => run(name, args, t));
      const streamed = await outcome(() =>
        (OPS[parsed.op] as OpImpl<typeof parsed.op>)(
          parsed.args as never,
          createVars(piecewise),
          {},
        )
      );
      assertEquals(streamed, whole);
    }),
  );
});
