/**
 * `rlm trace view`: a trace as one self-contained HTML page (no network, no CDN), that works
 * when opened from disk.
 *
 * @module
 */
import type { Trace } from "../protocol/trace.ts";
import { VIEWER_SCRIPT } from "./_viewer_script.ts";

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 0 0 6px; } h2 { font-size: 15px; margin: 8px 0; } h3 { font-size: 13px; margin: 12px 0 4px; color: #555; }
.status { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #e5e5ea; margin-left: 8px; vertical-align: middle; }
.status.answered { background: #d4f5dd; } .status.failed, .status.interrupted { background: #fbd5d5; } .status.budget_exceeded { background: #fdebc8; }
.question { font-style: italic; margin: 2px 0; } .totals { color: #555; margin: 2px 0; }
main { display: grid; grid-template-columns: minmax(380px, 45%) 1fr; gap: 0; height: calc(100vh - 110px); }
#tree, #details { overflow: auto; padding: 8px 16px; } #details { background: #fff; border-left: 1px solid #ddd; }
.row { display: grid; grid-template-columns: 20px auto 1fr auto; gap: 8px; padding: 3px 4px; cursor: pointer; border-radius: 4px; align-items: center; }
.row:hover { background: #eef; } .row.selected { background: #dde6ff; } .row.failed .label { color: #b00020; }
.kids { margin-left: 18px; border-left: 1px dotted #bbb; padding-left: 4px; }
.toggle { border: none; background: none; cursor: pointer; width: 20px; padding: 0; }
.label { font-weight: 600; white-space: nowrap; } .result { color: #333; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.nums { color: #666; font-size: 12px; white-space: nowrap; }
pre { background: #f4f4f6; padding: 6px 8px; border-radius: 4px; white-space: pre-wrap; word-break: break-word; max-height: 320px; overflow: auto; margin: 4px 0; }
.error { color: #b00020; } .step { margin: 6px 0; padding: 6px; border: 1px solid #eee; border-radius: 6px; }
details.op, details.call { margin: 4px 0; } summary { cursor: pointer; }
.msg b { font-size: 12px; text-transform: uppercase; color: #666; }
.timeline { border: 1px solid #eee; padding: 4px; max-height: 300px; overflow: auto; }
.lane { display: flex; align-items: center; height: 14px; } .lane-label { width: 54px; font-size: 10px; color: #888; flex: none; }
.bar { height: 8px; background: #5b8def; border-radius: 2px; } .bar.failed { background: #e05252; }
#search { width: 100%; box-sizing: border-box; padding: 4px 6px; margin-bottom: 4px; } #hits { margin: 0 0 8px; padding-left: 18px; } #hits li { cursor: pointer; }
`;

/** The page for `trace`. */
export function renderTraceHtml(trace: Trace): string {
  // The JSON sits in a script tag: "</" must not close it early, whatever the model wrote.
  const data = JSON.stringify(trace).replace(/</g, "\\u003c");
  const title = `rlm trace: ${(trace.root?.query ?? "").slice(0, 80)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<script type="application/json" id="trace-data">${data}</script>
<script>${VIEWER_SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}
