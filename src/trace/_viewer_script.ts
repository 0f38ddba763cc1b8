/**
 * The browser side of the trace viewer, as a string inlined into the page. It reads the trace
 * from a JSON script tag and renders it with DOM calls only (every string from the trace becomes
 * a text node or an attribute value, never HTML: model output is untrusted). Children render
 * when expanded, so a trace of 10 000 calls opens at once.
 *
 * @module
 */

/** The viewer's script. */
export const VIEWER_SCRIPT = String.raw`
"use strict";
const trace = JSON.parse(document.getElementById("trace-data").textContent);
const $ = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v;
    else if (k === "onclick") el.addEventListener("click", v);
    else el.setAttribute(k, v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) el.append(kid instanceof Node ? kid : String(kid));
  return el;
};
const money = (c) => (c === null ? "cost unknown" : "$" + c.toFixed(4));
const ms = (v) => (v >= 1000 ? (v / 1000).toFixed(2) + " s" : Math.round(v) + " ms");
const short = (s, n = 80) => (s.length > n ? s.slice(0, n) + "…" : s);

// Roll up cost, tokens, calls and cache hits per subtree: a post-order walk with an explicit
// stack, so a tree 20 000 calls deep does not overflow the browser's stack.
const byId = new Map();
function rollup(root) {
  const order = [];
  const stack = [root];
  while (stack.length) {
    const call = stack.pop();
    byId.set(call.id, call);
    order.push(call);
    for (const child of call.children) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const call = order[i];
    let cost = 0, unknown = false, tokens = 0, calls = 0, hits = 0;
    for (const m of call.model_calls) {
      if (m.cached) { hits++; continue; }
      calls++;
      tokens += m.prompt_tokens + m.completion_tokens;
      if (m.cost_usd === null) unknown = true; else cost += m.cost_usd;
    }
    for (const child of call.children) {
      const r = child._sum;
      cost += r.cost; unknown ||= r.unknown; tokens += r.tokens; calls += r.calls; hits += r.hits;
    }
    call._sum = { cost, unknown, tokens, calls, hits };
  }
  return root._sum;
}

// The whole conversation of model call i (trace version 2 records only what is new since the
// call it "extends"), rebuilt with a loop.
function conversation(calls, index) {
  const chain = [];
  for (let i = index; i !== undefined; i = calls[i].extends) {
    if (chain.length > calls.length || !(i >= 0 && i < calls.length)) break;
    chain.push(i);
  }
  const out = [];
  for (let k = chain.length - 1; k >= 0; k--) {
    const m = calls[chain[k]];
    for (const msg of m.messages) out.push(msg);
    if (k > 0) out.push({ role: "assistant", content: m.reply });
  }
  return out;
}

function header() {
  const t = trace.totals;
  const status = $("span", { class: "status " + trace.status }, trace.status.replace("_", " "));
  return $("header", {},
    $("h1", {}, "rlm trace ", status),
    $("p", { class: "question" }, trace.root ? trace.root.query : ""),
    $("p", { class: "answer" }, "Answer: ", $("b", {}, trace.answer ?? "(none)"), trace.error ? $("span", { class: "error" }, "  " + trace.error) : null),
    $("p", { class: "totals" },
      t.llm_calls + " model calls, " + t.cache_hits + " cache hits, " +
      (t.prompt_tokens + t.completion_tokens) + " tokens, " + money(t.cost_usd) + ", " + ms(trace.duration_ms) +
      " · model " + trace.options.model + ", child " + trace.options.child_model + ", depth " + trace.options.max_depth),
  );
}

let selected = null;
function node(call) {
  const s = call._sum;
  const label = call.kind === "root" ? "root" : call.kind + " #" + call.id +
    (call.spawned_by ? " · " + call.spawned_by.op + (call.spawned_by.item !== undefined ? " item " + call.spawned_by.item : "") : "");
  const time = call.ended_ms !== undefined ? ms(call.ended_ms - call.started_ms) : "unfinished";
  const row = $("div", { class: "row" + (call.error ? " failed" : ""), "data-call": String(call.id) },
    call.children.length ? $("button", { class: "toggle", "aria-label": "expand" }, "▸") : $("span", { class: "toggle" }, ""),
    $("span", { class: "label" }, label),
    $("span", { class: "result" }, call.error ? "error: " + short(call.error, 60) : short(call.answer ?? "", 60)),
    $("span", { class: "nums" }, money(s.unknown && s.cost === 0 ? null : s.cost) + " · " + s.tokens + " tok · " + time),
  );
  const box = $("div", { class: "node" }, row);
  let kids = null;
  const toggle = row.querySelector("button.toggle");
  if (toggle) toggle.addEventListener("click", (e) => {
    e.stopPropagation();
    if (kids) { kids.remove(); kids = null; toggle.textContent = "▸"; return; }
    kids = $("div", { class: "kids" });
    const sorted = [...call.children].sort((a, b) => (a.spawned_by?.item ?? 0) - (b.spawned_by?.item ?? 0) || a.id - b.id);
    for (const child of sorted) kids.append(node(child));
    box.append(kids);
    toggle.textContent = "▾";
  });
  row.addEventListener("click", () => show(call, row));
  return box;
}

function show(call, row) {
  if (selected) selected.classList.remove("selected");
  selected = row; row?.classList.add("selected");
  const panel = document.getElementById("details");
  panel.replaceChildren();
  const s = call._sum;
  panel.append(
    $("h2", {}, call.kind === "root" ? "Root call" : call.kind + " call #" + call.id),
    $("p", {}, "Model " + call.model + " · depth " + call.depth + " · context " + call.context_chars.toLocaleString() + " chars"),
    $("p", {}, "Subtree: " + s.calls + " model calls, " + s.hits + " cache hits, " + s.tokens + " tokens, " + money(s.unknown && s.cost === 0 ? null : s.cost)),
    $("h3", {}, "Query"), $("pre", {}, call.query),
    $("h3", {}, "Answer"), $("pre", { class: call.error ? "error" : "" }, call.error ?? call.answer ?? "(none)"),
  );
  if (call.steps.length) {
    panel.append($("h3", {}, "Steps"));
    call.steps.forEach((step, i) => {
      const box = $("div", { class: "step" }, $("b", {}, (i + 1) + ". " + step.mode), step.output ? " → " + step.output : "");
      if (step.error) box.append($("div", { class: "error" }, step.error));
      if (step.answer !== undefined) box.append($("div", {}, "answer: ", $("b", {}, step.answer)));
      for (const op of step.ops) {
        box.append($("details", { class: "op" + (op.error ? " failed" : "") },
          $("summary", {}, op.op + (op.bind ? " → " + op.bind : "") + "  " +
            (op.error ? "error" : (op.kind ?? "") + " " + (op.size ?? "")) + (op.cached ? " · cached" : "") +
            (op.ms !== undefined ? " · " + ms(op.ms) : "")),
          $("pre", {}, JSON.stringify(op.args, null, 1)),
          op.error ? $("pre", { class: "error" }, op.error) : $("pre", {}, op.preview ?? ""),
        ));
      }
      panel.append(box);
    });
  }
  if (call.children.length) panel.append($("h3", {}, "Timeline of sub-calls"), timeline(call));
  if (call.model_calls.length) {
    panel.append($("h3", {}, "Conversation"));
    call.model_calls.forEach((m, i) => {
      const d = $("details", { class: "call" },
        $("summary", {}, "model call " + (i + 1) + " · " + m.model + " · " + (m.cached ? "cache hit" : ms(m.latency_ms)) + " · " +
          (m.prompt_tokens + m.completion_tokens) + " tok · " + money(m.cost_usd) + (m.retries ? " · " + m.retries + " retries" : "")));
      d.addEventListener("toggle", () => {
        if (!d.open || d.dataset.filled) return;
        d.dataset.filled = "1";
        for (const msg of conversation(call.model_calls, i)) d.append($("div", { class: "msg " + msg.role }, $("b", {}, msg.role), $("pre", {}, msg.content)));
        d.append($("div", { class: "msg assistant" }, $("b", {}, "reply"), $("pre", {}, m.reply)));
      });
      panel.append(d);
    });
  }
}

function timeline(call) {
  const kids = call.children;
  // Loops, not Math.min(...list): spreading 200 000 children as arguments overflows the stack.
  let start = Infinity, end = -Infinity;
  for (const k of kids) {
    start = Math.min(start, k.started_ms);
    end = Math.max(end, k.ended_ms ?? k.started_ms);
  }
  const span = Math.max(1, end - start);
  const box = $("div", { class: "timeline" });
  for (const k of kids.slice(0, 2000)) {
    const left = ((k.started_ms - start) / span) * 100;
    const width = Math.max(0.5, (((k.ended_ms ?? k.started_ms) - k.started_ms) / span) * 100);
    const bar = $("div", { class: "bar" + (k.error ? " failed" : ""), title: "#" + k.id + " " + ms((k.ended_ms ?? k.started_ms) - k.started_ms) });
    bar.style.marginLeft = left + "%"; bar.style.width = width + "%";
    box.append($("div", { class: "lane" }, $("span", { class: "lane-label" }, "#" + k.id), bar));
  }
  if (kids.length > 2000) box.append($("p", {}, (kids.length - 2000) + " more sub-calls not drawn"));
  return box;
}

function search(text) {
  const hits = [];
  const q = text.toLowerCase();
  for (const call of byId.values()) {
    if (q && ((call.answer ?? "").toLowerCase().includes(q) || call.query.toLowerCase().includes(q) || (call.error ?? "").toLowerCase().includes(q))) hits.push(call);
  }
  const out = document.getElementById("hits");
  out.replaceChildren(...hits.slice(0, 200).map((c) => $("li", { onclick: () => show(c, null) }, "#" + c.id + " " + c.kind + ": " + short(c.answer ?? c.error ?? "", 60))));
  if (hits.length > 200) out.append($("li", {}, (hits.length - 200) + " more"));
}

document.body.append(header());
if (trace.root) {
  rollup(trace.root);
  const tree = $("section", { id: "tree" }, $("h2", {}, "Calls"),
    $("input", { id: "search", type: "search", placeholder: "find a call by answer, query or error" }),
    $("ul", { id: "hits" }), node(trace.root));
  const main = $("main", {}, tree, $("section", { id: "details" }));
  document.body.append(main);
  document.getElementById("search").addEventListener("input", (e) => search(e.target.value));
  show(trace.root, tree.querySelector(".row"));
} else {
  document.body.append($("p", {}, "This trace has no calls."));
}
`;
