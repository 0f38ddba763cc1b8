/**
 * Task generators that need no download and are deterministic by seed, in the spirit of the
 * RLM paper's benchmarks: S-NIAH (a needle in a haystack), OOLONG (aggregation over labelled
 * lines) and OOLONG-Pairs (pairs of users that share a property).
 *
 * @module
 */
import type { BenchTask } from "../protocol/bench.ts";

/** A small, seeded PRNG (mulberry32): the same seed gives the same tasks everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  ("time year people way day man thing woman life child world school state family student group country " +
    "problem hand part place case week company system program question work government number night point home water " +
    "room mother area money story fact month lot right study book eye job word business issue side kind head house " +
    "service friend father power hour game line end member law car city community name president team minute idea")
    .split(" ");
const KEYS = [
  "amber-falcon",
  "silver-otter",
  "quiet-harbor",
  "crimson-maple",
  "lunar-pepper",
  "velvet-comet",
  "iron-willow",
  "paper-tiger",
];
const LABELS = ["billing", "outage", "login", "refund", "feature", "spam"];

/** About 4 characters per token, as the paper's token counts assume for English text. */
const CHARS_PER_TOKEN = 4;

function sentence(r: () => number): string {
  const n = 6 + Math.floor(r() * 10);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  return words.join(" ").replace(/^./, (c) => c.toUpperCase()) + ".";
}

/** S-NIAH: one magic number hidden in filler text of about `tokens` tokens. */
export function sniah(tokens: number, seed: number): BenchTask {
  const r = rng(seed * 7919 + tokens);
  const key = KEYS[Math.floor(r() * KEYS.length)];
  const value = String(1_000_000 + Math.floor(r() * 9_000_000));
  const lines: string[] = [];
  let chars = 0;
  while (chars < tokens * CHARS_PER_TOKEN) {
    const s = sentence(r);
    lines.push(s);
    chars += s.length + 1;
  }
  lines.splice(
    Math.floor(r() * lines.length),
    0,
    `The special magic number for ${key} is ${value}.`,
  );
  return {
    id: `sniah-${tokens}-${seed}`,
    kind: "sniah",
    size_tokens: tokens,
    question:
      `What is the special magic number for ${key} mentioned in the text? Reply with the number only.`,
    answer: value,
    answer_type: "exact",
    context: lines.join("\n") + "\n",
  };
}

interface Row {
  user: string;
  label: string;
}

function labelledLines(
  tokens: number,
  r: () => number,
  users: number,
): { lines: string[]; rows: Row[] } {
  const lines: string[] = [];
  const rows: Row[] = [];
  let chars = 0;
  let day = 0;
  while (chars < tokens * CHARS_PER_TOKEN) {
    // Skewed labels, so "most common" has one clear answer.
    const x = r();
    const label = LABELS[Math.min(LABELS.length - 1, Math.floor(-Math.log(1 - x * 0.98) * 1.6))];
    const user = `u${1 + Math.floor(r() * users)}`;
    const line = `2024-${String(1 + (day % 12)).padStart(2, "0")}-${
      String(1 + (day % 28)).padStart(2, "0")
    } || ${user} || ${sentence(r)} || label: ${label}`;
    day++;
    lines.push(line);
    rows.push({ user, label });
    chars += line.length + 1;
  }
  return { lines, rows };
}

/** OOLONG-style: count a label, the most common label, and a per-user filtered count. */
export function oolong(tokens: number, seed: number): BenchTask[] {
  const r = rng(seed * 104729 + tokens);
  const { lines, rows } = labelledLines(tokens, r, 40);
  const context = lines.join("\n") + "\n";
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const target = LABELS[1 + Math.floor(r() * (LABELS.length - 1))];
  const user = rows[Math.floor(r() * rows.length)].user;
  const base = { kind: "oolong", size_tokens: tokens, context };
  const tasks: BenchTask[] = [
    {
      ...base,
      id: `oolong-count-${tokens}-${seed}`,
      question: `How many lines have the label '${target}'? Reply with an integer only.`,
      answer: counts.get(target) ?? 0,
      answer_type: "numeric",
    },
    {
      ...base,
      id: `oolong-user-${tokens}-${seed}`,
      question:
        `How many lines from user ${user} have the label 'billing'? Reply with an integer only.`,
      answer: rows.filter((x) => x.user === user && x.label === "billing").length,
      answer_type: "numeric",
    },
  ];
  if (sorted.length < 2 || sorted[0][1] > sorted[1][1]) {
    tasks.push({
      ...base,
      id: `oolong-common-${tokens}-${seed}`,
      question: "Which label is the most common? Reply with the label only.",
      answer: sorted[0][0],
      answer_type: "exact",
    });
  }
  return tasks;
}

/** OOLONG-Pairs-style: every pair of users who both have a line with a rare label. */
export function pairs(tokens: number, seed: number): BenchTask {
  const r = rng(seed * 15485863 + tokens);
  const { lines, rows } = labelledLines(tokens, r, 24);
  const label = "spam";
  const users = [...new Set(rows.filter((x) => x.label === label).map((x) => x.user))].sort();
  const answer: string[] = [];
  for (let i = 0; i < users.length; i++) {
    for (let j = i + 1; j < users.length; j++) answer.push([users[i], users[j]].sort().join("-"));
  }
  return {
    id: `pairs-${tokens}-${seed}`,
    kind: "pairs",
    size_tokens: tokens,
    question:
      `List every pair of users who both have at least one line with the label '${label}'. Reply with one pair per line, as userA-userB.`,
    answer,
    answer_type: "set",
    context: lines.join("\n") + "\n",
  };
}

/** The suites `rlm bench run --suite` knows. */
export const SUITES: Record<string, (seed: number) => BenchTask[]> = {
  "paper-small": (seed) => [
    ...[2 ** 13, 2 ** 15, 2 ** 17].map((t) => sniah(t, seed)),
    ...[2 ** 13, 2 ** 15].flatMap((t) => oolong(t, seed)),
    pairs(2 ** 13, seed),
  ],
  paper: (seed) => [
    ...[13, 14, 15, 16, 17, 18, 19, 20, 21, 22].map((e) => sniah(2 ** e, seed)),
    ...[13, 14, 15, 16, 17, 18].flatMap((e) => oolong(2 ** e, seed)),
    ...[13, 14, 15, 16].map((e) => pairs(2 ** e, seed)),
  ],
};
