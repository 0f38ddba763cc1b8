/**
 * CPython as the oracle for `count`, `slice`, `lines` and `chunk`: one `python3` process computes,
 * for each file, what Python says, written the plain Python way.
 *
 * @module
 */
import { LINE_RANGES, SLICES } from "./_corpus.ts";

/** What Python says about one file (same fields as `Observed`, without chunkOk). */
export interface PythonView {
  lines: number;
  chars: number;
  words: number;
  slices: string[];
  lineRanges: string[];
  text: string;
}

// The documented rules applied to the bytes: invalid UTF-8 becomes U+FFFD (errors="replace"),
// and a leading byte-order mark is dropped (docs/reference/cli.md). A line ends at "\n" only
// (open(newline="\n") reads lines that way); the last line may lack its "\n".
const SCRIPT = `
import hashlib, io, json, sys
req = json.load(sys.stdin)
def h(s): return hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()
out = {}
for path in req["paths"]:
    with open(path, encoding="utf-8-sig", errors="replace", newline="\\n") as f:
        text = f.read()
    keep = io.StringIO(text, newline="\\n").readlines()
    n = len(keep)
    def rng(s, e):
        s = s if s > 0 else n + s + 1
        e = e if e > 0 else n + e + 1
        return "".join(keep[max(1, s) - 1:max(0, e)])
    out[path] = {
        "lines": n, "chars": len(text), "words": len(text.split()),
        "slices": [h(text[a:b]) for a, b in req["slices"]],
        "lineRanges": [h(rng(s, e)) for s, e in req["lineRanges"]],
        "text": h(text),
    }
json.dump(out, sys.stdout)
`;

/** Whether `python3` runs here. */
export async function hasPython(): Promise<boolean> {
  try {
    return (await new Deno.Command("python3", { args: ["-c", "pass"] }).output()).success;
  } catch {
    return false;
  }
}

/** Python's view of each file at `paths`, by path. */
export async function pythonViews(paths: string[]): Promise<Record<string, PythonView>> {
  const child = new Deno.Command("python3", {
    args: ["-c", SCRIPT],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(JSON.stringify({ paths, slices: SLICES, lineRanges: LINE_RANGES })),
  );
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error(`python3 failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
