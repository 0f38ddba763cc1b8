/**
 * A deterministic synthetic application log of a given size, for benchmarks.
 *
 * @module
 */

const SERVICES = ["auth", "billing", "search", "gateway", "storage", "mailer"];
const MESSAGES = [
  "request timed out after 30s",
  "upstream returned 502",
  "database connection refused",
  "slow response 1,250 ms",
  "retrying request",
];

/** Write about `bytes` bytes of log lines to `path`; the same size gives the same file. */
export async function writeSyntheticLog(path: string, bytes: number): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let written = 0;
  let i = 0;
  while (written < bytes) {
    const lines: string[] = [];
    for (let k = 0; k < 20000; k++, i++) {
      const r = next();
      const level = r % 23 === 0 ? "ERROR" : r % 7 === 0 ? "WARN " : "INFO ";
      const svc = SERVICES[r % SERVICES.length];
      const msg = level === "INFO "
        ? `handled request id=${r % 100000} user=u${r % 977} in ${r % 400} ms`
        : MESSAGES[(r >> 8) % MESSAGES.length];
      const s = i % 86400;
      const ts = `2026-11-20T${String(Math.floor(s / 3600)).padStart(2, "0")}:${
        String(Math.floor(s / 60) % 60).padStart(2, "0")
      }:${String(s % 60).padStart(2, "0")}Z`;
      lines.push(`${ts} ${level} [${svc}] ${msg}\n`);
    }
    const chunk = encoder.encode(lines.join(""));
    const take = Math.min(chunk.length, bytes - written);
    // Cut at a line end so the file ends with a whole line.
    const end = take === chunk.length ? take : chunk.lastIndexOf(10, take - 1) + 1 || take;
    let off = 0;
    while (off < end) off += await file.write(chunk.subarray(off, end));
    written += end;
    if (end < chunk.length) break;
  }
}
