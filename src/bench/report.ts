/**
 * `rlm bench report`: results as a Markdown table (per method and size), JSON, and an SVG chart
 * of score against context length.
 *
 * @module
 */
import type { BenchResult } from "../protocol/bench.ts";

/** One row of the report: a method on one kind of task at one size. */
export interface ReportRow {
  method: string;
  kind: string;
  size_tokens: number | null;
  n: number;
  score: number;
  mean_cost_usd: number | null;
  median_cost_usd: number | null;
  mean_tokens: number;
  mean_latency_ms: number;
  errors: number;
  truncated: number;
}

/** Group results by method, kind and size. */
export function summarize(results: BenchResult[]): ReportRow[] {
  const groups = new Map<string, BenchResult[]>();
  for (const r of results) {
    const key = `${r.method}\u0000${r.kind}\u0000${r.size_tokens}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const rows = [...groups.values()].map((rs): ReportRow => {
    const costs = rs.map((r) => r.cost_usd);
    const known = costs.every((c) => c !== null)
      ? (costs as number[]).sort((a, b) => a - b)
      : undefined;
    return {
      method: rs[0].method,
      kind: rs[0].kind,
      size_tokens: rs[0].size_tokens,
      n: rs.length,
      score: mean(rs.map((r) => r.score)),
      mean_cost_usd: known ? mean(known) : null,
      median_cost_usd: known ? known[Math.floor((known.length - 1) / 2)] : null,
      mean_tokens: mean(rs.map((r) => r.tokens)),
      mean_latency_ms: mean(rs.map((r) => r.latency_ms)),
      errors: rs.filter((r) => r.error !== undefined).length,
      truncated: rs.filter((r) => r.truncated).length,
    };
  });
  return rows.sort((a, b) =>
    a.kind.localeCompare(b.kind) || (a.size_tokens ?? 0) - (b.size_tokens ?? 0) ||
    a.method.localeCompare(b.method)
  );
}

/** The Markdown table. */
export function renderMarkdown(rows: ReportRow[]): string {
  const money = (c: number | null) => (c === null ? "unknown" : `$${c.toFixed(4)}`);
  const lines = [
    "| task | size (tokens) | method | n | score | mean cost | median cost | tokens | latency | notes |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const notes = [
      r.errors ? `${r.errors} errors` : "",
      r.truncated ? `${r.truncated} truncated` : "",
    ].filter(Boolean).join(", ");
    lines.push(
      `| ${r.kind} | ${r.size_tokens ?? "-"} | ${r.method} | ${r.n} | ${
        (r.score * 100).toFixed(1)
      } | ${money(r.mean_cost_usd)} | ${money(r.median_cost_usd)} | ${
        Math.round(r.mean_tokens)
      } | ${(r.mean_latency_ms / 1000).toFixed(1)} s | ${notes} |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** An SVG line chart: mean score (all kinds) against log2 of the context length, per method. */
export function renderSvg(rows: ReportRow[]): string {
  const W = 640, H = 360, L = 56, R = 140, T = 24, B = 44;
  const sized = rows.filter((r) => r.size_tokens !== null);
  const bySize = new Map<string, Map<number, { sum: number; n: number }>>();
  for (const r of sized) {
    const m = bySize.get(r.method) ?? new Map();
    const e = m.get(r.size_tokens as number) ?? { sum: 0, n: 0 };
    e.sum += r.score * r.n;
    e.n += r.n;
    m.set(r.size_tokens as number, e);
    bySize.set(r.method, m);
  }
  const sizes = [...new Set(sized.map((r) => Math.log2(r.size_tokens as number)))].sort((a, b) =>
    a - b
  );
  const lo = sizes[0] ?? 13, hi = Math.max(lo + 1, sizes[sizes.length - 1] ?? 14);
  const x = (s: number) => L + ((Math.log2(s) - lo) / (hi - lo)) * (W - L - R);
  const y = (v: number) => T + (1 - v) * (H - T - B);
  const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${L}" y1="${y(0)}" x2="${W - R}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${L}" y1="${y(0)}" x2="${L}" y2="${y(1)}" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${
      H - 8
    }" text-anchor="middle">context length (tokens, log scale)</text>`,
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${
      (T + H - B) / 2
    })" text-anchor="middle">score (%)</text>`,
  ];
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v * 100}</text>`);
    parts.push(`<line x1="${L}" y1="${y(v)}" x2="${W - R}" y2="${y(v)}" stroke="#eee"/>`);
  }
  for (const s of sizes) {
    parts.push(`<text x="${x(2 ** s)}" y="${y(0) + 16}" text-anchor="middle">2^${s}</text>`);
  }
  [...bySize].forEach(([method, points], i) => {
    const color = colors[i % colors.length];
    const pts = [...points].sort((a, b) => a[0] - b[0]).map(([s, e]) =>
      `${x(s).toFixed(1)},${y(e.sum / e.n).toFixed(1)}`
    );
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(" ")}"/>`,
    );
    for (const p of pts) {
      parts.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${color}"/>`);
    }
    parts.push(
      `<text x="${W - R + 12}" y="${T + 16 + i * 18}" fill="${color}">${escapeXml(method)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function escapeXml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}
