import fc from "fast-check";
import { hashValue } from "../cache/hash.ts";
import type { Operation } from "./operation.ts";
import type { Binding, Value } from "../protocol/value.ts";
import { assert, assertEquals } from "../../tests/_assert.ts";
import { linePieces } from "../../tests/_line_pieces.ts";
import { parseOperation } from "./parse_operation.ts";
import { runOp } from "./run_op.ts";

/** Run an op on one text variable `t`. */
function run(op: string, args: Record<string, unknown>, t: Value): Value | Promise<Value> {
  const parsed: Operation = parseOperation({ op, args: { input: "t", ...args } });
  const vars = new Map<string, Binding>([["t", { value: t, hash: hashValue(t) }]]);
  return runOp(parsed, vars, {});
}

// Texts made of a few characters, newlines and CR, so lines and edge cases are frequent; astral
// characters (two UTF-16 units), U+2028, U+0085 and Python-only whitespace (U+001C) included.
const text = fc.string({
  unit: fc.constantFrom("a", "b", " ", "\n", "\r", "é", "😀", "\u2028", "\u0085", "\u001c"),
  maxLength: 300,
});

/** The reference model: code points the simplest way, as Python's str sees them. */
const chars = (t: string) => Array.from(t);
/** Python's `text.split("\n")` with keepends: every "\n" ends a line; an unterminated tail is one. */
const modelLines = (t: string) => t.match(/[^\n]*\n|[^\n]+$/g) ?? [];
/** Python's str.isspace(), checked one character at a time. */
const PY_SPACE = new Set(
  [..."\t\n\v\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"]
    .concat(Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i))),
);

Deno.test("chunk by size loses nothing, keeps order and respects the size", () => {
  fc.assert(fc.property(text, fc.integer({ min: 1, max: 50 }), (t, size) => {
    const pieces = run("chunk", { size }, t) as string[];
    assertEquals(pieces.join(""), t);
    for (const p of pieces) {
      assert(p.length > 0, "no empty piece");
      // A piece over the size limit never happens: long lines are cut, between code points.
      assert(chars(p).length <= size, `piece of ${chars(p).length} > ${size}`);
      assert(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p), "no half of a surrogate pair");
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
        const line = chars(t.slice(start, end)).length;
        assert(line > size, `cut a line of ${line} chars with size ${size}`);
      }
    }
  }));
});

Deno.test("chunk by size and by n are linear on one long line", () => {
  // 3 MB on one line with size 100 took minutes before (a backwards search per piece).
  const long = "x😀".repeat(1_000_000);
  const pieces = run("chunk", { size: 100 }, long) as string[];
  assertEquals(pieces.join(""), long);
  assertEquals(run("chunk", { n: 100_000 }, long), [long]);
});

Deno.test("chunk by n loses nothing and gives at most n pieces", () => {
  fc.assert(fc.property(text, fc.integer({ min: 1, max: 20 }), (t, n) => {
    const pieces = run("chunk", { n }, t) as string[];
    assertEquals(pieces.join(""), t);
    assert(pieces.length <= n, `${pieces.length} pieces > ${n}`);
    assert(pieces.every((p) => p !== ""), "no empty piece");
    for (const p of pieces.slice(0, -1)) assert(p.endsWith("\n"), "pieces end at line ends");
  }));
});

Deno.test("split loses nothing: joining with the delimiter gives the input back", () => {
  fc.assert(fc.property(text, fc.constantFrom("a", "\n", "ab", " b", "\r\n"), (t, delimiter) => {
    const parts = run("split", { delimiter }, t) as string[];
    assertEquals(parts.join(delimiter), t);
  }));
});

Deno.test("split is the naive left-to-right scan for the delimiter", () => {
  const model = (t: string, d: string) => {
    const parts: string[] = [];
    let start = 0;
    for (let i = 0; i + d.length <= t.length;) {
      if (t.startsWith(d, i)) {
        parts.push(t.slice(start, i));
        i += d.length;
        start = i;
      } else i++;
    }
    return [...parts, t.slice(start)];
  };
  const delimiter = fc.constantFrom("a", "\n", "aa", "😀", "\r\n", "\n\n");
  fc.assert(fc.property(text, delimiter, (t, d) => {
    assertEquals(run("split", { delimiter: d }, t), model(t, d));
  }));
});

Deno.test("chunk by n cuts at the line end nearest each k·len/n, by brute force", () => {
  const model = (t: string, n: number) => {
    const cps = chars(t);
    const ends = [0];
    cps.forEach((c, i) => c === "\n" && ends.push(i + 1));
    // The end of the text ends the last line too, with or without a "\n".
    if (ends[ends.length - 1] !== cps.length) ends.push(cps.length);
    const cuts: number[] = [0];
    for (let k = 1; k < n; k++) {
      const ideal = Math.round((k * cps.length) / n);
      // The nearest line end at or before the first one past the ideal cut; ties go later.
      let best = ends[0];
      for (const e of ends) if (Math.abs(e - ideal) <= Math.abs(best - ideal)) best = e;
      if (best > cuts[cuts.length - 1] && best < cps.length) cuts.push(best);
    }
    cuts.push(cps.length);
    return cuts.slice(1).map((c, i) => cps.slice(cuts[i], c).join(""));
  };
  fc.assert(
    fc.property(text.filter((t) => t !== ""), fc.integer({ min: 1, max: 20 }), (t, n) => {
      assertEquals(run("chunk", { n }, t), model(t, n));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("slice follows Python's slicing rules", () => {
  fc.assert(
    fc.property(
      text,
      fc.integer({ min: -400, max: 400 }),
      fc.integer({ min: -400, max: 400 }),
      (t, s, e) => {
        // Python's t[s:e] over code points: Array.slice has the same clamping rules.
        assertEquals(run("slice", { start: s, end: e }, t), chars(t).slice(s, e).join(""));
      },
    ),
  );
});

const PY_SPACE_CLASS =
  "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

Deno.test("grep returns exactly the lines that contain a match, in order", async () => {
  const patterns = ["a", "b+", "^a", "a$", "é|😀", "a\\s", "[^a]b"];
  await fc.assert(fc.asyncProperty(text, fc.constantFrom(...patterns), async (t, pattern) => {
    const got = await run("grep", { pattern }, t) as string;
    const lines = t === "" ? [] : t.replace(/\n$/, "").split("\n");
    // Each line is tested alone, so ^ and $ are its ends; "\r" is an ordinary character.
    // The model is a JS regex with Python's \s (str.isspace(), which JS's \s lacks U+001C-U+001F of).
    const model = new RegExp(pattern.replace("\\s", PY_SPACE_CLASS), "u");
    const expected = lines.filter((l) => model.test(l));
    assertEquals(got, expected.map((l) => l + "\n").join(""));
  }));
});

Deno.test("count lines agrees with the lines op", async () => {
  await fc.assert(fc.asyncProperty(text, async (t) => {
    const n = Number(await run("count", { mode: "lines" }, t));
    assertEquals(run("lines", {}, t), t, "every line, with its end, is the text");
    assertEquals(n, modelLines(t).length);
  }));
});

Deno.test("lines start..end is the model's lines start..end, each with its own end", async () => {
  const index = fc.integer({ min: -12, max: 12 });
  await fc.assert(fc.asyncProperty(text, index, index, async (t, s, e) => {
    const all = modelLines(t);
    const at = (i: number) => (i < 0 ? all.length + i + 1 : i);
    const expected = all.slice(Math.max(1, at(s)) - 1, Math.max(0, at(e))).join("");
    assertEquals(run("lines", { start: s, end: e }, t), expected);
    assertEquals(
      Number(await run("count", { mode: "lines" }, expected)),
      modelLines(expected).length,
    );
  }));
});

Deno.test("count chars and words are Python's len(text) and len(text.split())", async () => {
  await fc.assert(fc.asyncProperty(text, async (t) => {
    assertEquals(await run("count", { mode: "chars" }, t), String(chars(t).length));
    let words = 0;
    let inWord = false;
    for (const c of chars(t)) {
      if (!PY_SPACE.has(c) && !inWord) words++;
      inWord = !PY_SPACE.has(c);
    }
    assertEquals(await run("count", { mode: "words" }, t), String(words));
  }));
});

Deno.test("chunk by size: an edit or an append changes only the pieces around it", () => {
  // Lines of varied content, so line hashes differ; the edit replaces one line.
  const line = fc.string({ unit: fc.constantFrom("a", "b", "c", "😀", " "), maxLength: 30 });
  const doc = fc.array(line, { minLength: 200, maxLength: 400 });
  fc.assert(
    fc.property(doc, fc.nat(), line, fc.integer({ min: 40, max: 400 }), (ls, k, edit, size) => {
      const before = run("chunk", { size }, ls.map((l) => l + "\n").join("")) as string[];
      const changed = [...ls];
      changed[k % ls.length] = edit + "!";
      const after = run("chunk", { size }, changed.map((l) => l + "\n").join("")) as string[];
      let same = 0;
      while (same < after.length && after[same] === before[same]) same++;
      let tail = 0;
      while (
        tail < after.length - same &&
        after[after.length - 1 - tail] === before[before.length - 1 - tail]
      ) tail++;
      const differ = after.length - same - tail;
      assert(differ <= 8, `an edit of one line changed ${differ} of ${after.length} pieces`);
      const appended = run(
        "chunk",
        { size },
        ls.map((l) => l + "\n").join("") + "more\n",
      ) as string[];
      const kept = appended.filter((p, i) => p === before[i]).length;
      assert(kept >= before.length - 1, `an append changed ${before.length - kept} earlier pieces`);
    }),
    { seed: 12, numRuns: 60, endOnFailure: true },
  );
});

async function sum(items: string[]): Promise<Value> {
  const parsed = parseOperation({ op: "combine", args: { inputs: ["l"], strategy: "sum" } });
  const vars = new Map<string, Binding>([["l", { value: items, hash: hashValue(items) }]]);
  return await runOp(parsed, vars, {});
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

Deno.test("combine sum adds .5, signs, exponents and 200000 numbers exactly", async () => {
  assertEquals(await sum([".5", "-.5", "+7", "\u22122", "1e2", "x 2.5E-1"]), "105.25");
  const many = Array.from({ length: 200_000 }, (_, i) => `${i}.5`);
  assertEquals(await sum(many), String((199_999 * 200_000) / 2 + 100_000));
});

Deno.test("combine json keeps every JSON number exactly as written", async () => {
  const parsed = parseOperation({ op: "combine", args: { inputs: ["l"], strategy: "json" } });
  const number = fc.oneof(fc.bigInt().map(String), fc.double({ noNaN: true }).map(String))
    .filter((n) => /^-?\d/.test(n));
  await fc.assert(fc.asyncProperty(fc.array(number, { maxLength: 8 }), async (ns) => {
    const vars = new Map<string, Binding>([["l", { value: ns, hash: hashValue(ns) }]]);
    const out = await runOp(parsed, vars, {});
    assertEquals(out, `[${ns.join(",")}]`);
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
      const streamed = await outcome(() => runOp(parsed, piecewise, {}));
      assertEquals(streamed, whole);
    }),
  );
});
