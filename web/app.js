// emaillint's page: the linter compiled to WebAssembly, run on every
// pause in typing. Offsets from the module are UTF-16 code units, the
// same units as the textarea's value and selection.

import init, { lint, fix as fixAll, new_draft as newDraft, version } from "./pkg/emaillint_web.js";

const $ = (id) => document.getElementById(id);
const draft = $("draft");
const highlights = $("highlights");
const backdrop = $("backdrop");
const problems = $("problems");
const checklist = $("checklist");
const stats = $("stats");
const atCaret = $("at-caret");
const tooltip = $("tooltip");
const status = $("status");
const profile = $("profile");
const format = $("format");

const DEBOUNCE_MS = 150;
// Read by the browser test (web/test/browser.mjs), and handy in devtools.
const state = { report: null, lints: 0, lastLintMs: 0, loadMs: 0, warmUpMs: 0, active: -1 };
window.emaillint = state;
state.lintNow = () => run();

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

const RANK = { error: 3, warning: 2, info: 1 };

// --- Linting ---------------------------------------------------------

function run() {
  const text = draft.value;
  const t0 = performance.now();
  let report;
  try {
    report = JSON.parse(lint(text, profile.value, format.value, today()));
  } catch (e) {
    status.textContent = `The checker failed: ${e.message ?? e}`;
    return;
  }
  const ms = performance.now() - t0;
  state.report = report;
  state.text = text;
  state.lints += 1;
  state.lastLintMs = ms;
  render(report, text);
  const n = report.diagnostics.length;
  status.textContent = text.trim()
    ? `${n === 0 ? "No problems" : n === 1 ? "1 problem" : `${n} problems`} · checked in ${ms.toFixed(1)} ms, in this page`
    : `Ready (emaillint ${version()}). Nothing you type leaves this page.`;
  document.body.dataset.lints = String(state.lints);
}

let timer = 0;
function schedule() {
  clearTimeout(timer);
  grow();
  syncHighlights(); // keep the mirror's text in step while typing
  timer = setTimeout(run, DEBOUNCE_MS);
}

// --- The mirror behind the textarea ----------------------------------

// Split the text at every span boundary; each piece knows which
// diagnostics cover it. Empty spans (something missing) become points.
function pieces(text, diags) {
  const cuts = new Set([0, text.length]);
  diags.forEach((d) => { cuts.add(d.start); cuts.add(d.end); });
  const sorted = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    const at = sorted[i];
    const points = [];
    diags.forEach((d, k) => { if (d.start === d.end && d.start === at) points.push(k); });
    if (points.length) out.push({ start: at, end: at, ids: points });
    if (i + 1 < sorted.length) {
      const end = sorted[i + 1];
      const ids = [];
      diags.forEach((d, k) => { if (d.start < end && d.end > at) ids.push(k); });
      out.push({ start: at, end, ids });
    }
  }
  return out;
}

function worst(ids, diags) {
  return ids.map((k) => diags[k].severity).sort((a, b) => RANK[b] - RANK[a])[0];
}

function syncHighlights() {
  // While typing, before the next lint: show the text without marks, so
  // stale marks never sit under the wrong words.
  if (!state.report || state.text !== draft.value) highlights.textContent = draft.value + "\n";
}

function renderHighlights(report, text) {
  const diags = report.diagnostics;
  const frag = document.createDocumentFragment();
  for (const p of pieces(text, diags)) {
    const slice = text.slice(p.start, p.end);
    if (!p.ids.length) { frag.append(slice); continue; }
    const cls = worst(p.ids, diags);
    const m = el(p.start === p.end ? "span" : "mark", { class: `${p.start === p.end ? "point" : ""} ${cls}`.trim(), "data-ids": p.ids.join(" ") });
    m.textContent = slice;
    frag.append(m);
  }
  // A final newline keeps the mirror as tall as the textarea when the
  // text ends in a line break.
  frag.append("\n");
  highlights.replaceChildren(frag);
}

// --- The side panel ----------------------------------------------------

// Where the advice comes from: every article in the list, the first (and
// how many more) in the tooltip.
function sourceLine(d, short = false) {
  if (!d.sources || !d.sources.length) return null;
  const titles = d.sources.map((s) => (s.title ? `“${s.title}”` : s.file));
  const text = short && titles.length > 1
    ? `${titles[0]} and ${titles.length - 1} more`
    : titles.join("; ");
  return el("p", { class: "source" }, `From: ${text}`);
}

function renderProblems(report, text) {
  const items = report.diagnostics.map((d, k) => {
    const quoted = d.start < d.end ? text.slice(d.start, d.end) : "";
    const more = el("div", { class: "more" },
      d.label ? el("p", {}, el("strong", {}, quoted ? `“${clip(quoted)}”: ` : "Here: "), d.label) : null,
      d.help ? el("p", {}, d.help) : null,
      ...d.notes.map((n) => el("p", {}, n)),
      sourceLine(d));
    const go = el("button", { type: "button", class: "go", "data-k": String(k), "aria-describedby": `more-${k}`,
      onclick: () => select(k), onmouseenter: () => setActive(k), onfocus: () => setActive(k) },
      el("span", { class: "sev" }, d.severity), " ",
      el("span", { class: "rule" }, d.rule), el("br"),
      d.message);
    more.id = `more-${k}`;
    const li = el("li", { class: d.severity, "data-k": String(k) }, go, more);
    if (d.fix && d.fix.edits.length) {
      const label = d.fix.applicability === "safe" ? `Apply: ${d.fix.message}` : `Insert the suggestion (edit it to fit)`;
      li.append(el("button", { type: "button", class: "apply", "data-k": String(k), onclick: () => applyFix(k) }, label));
    }
    return li;
  });
  problems.replaceChildren(...items);
}

function clip(s, n = 60) {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

function renderChecklist(report) {
  checklist.replaceChildren(...report.checklist.map((i) => {
    let value = null;
    if (i.value != null && i.limit != null) value = el("span", { class: "value" }, ` (${fmt(i.value)} of at most ${fmt(i.limit)})`);
    return el("li", { class: `${i.passed ? "passed" : "failed"} ${i.severity}` },
      el("span", { class: "mark", "aria-hidden": "true" }, i.passed ? "✓" : "✗"),
      el("span", { class: "visually-hidden" }, i.passed ? "done: " : "missing: "),
      i.label, value);
  }));
}

function fmt(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function renderStats(report, text) {
  if (!text.trim()) { stats.textContent = ""; return; }
  const s = report.stats;
  const secs = s.reading_time_seconds;
  const read = secs < 60 ? `${secs} s` : `${Math.floor(secs / 60)} min ${secs % 60} s`;
  stats.textContent = `${s.words} words in the body · ${s.sentences} sentences · about ${read} to read`;
}

function render(report, text) {
  renderHighlights(report, text);
  renderProblems(report, text);
  renderChecklist(report);
  renderStats(report, text);
  state.active = -1;
  showAtCaret();
}

// --- Pointing at a problem ---------------------------------------------

function setActive(k) {
  state.active = k;
  for (const m of highlights.querySelectorAll("[data-ids]")) {
    m.classList.toggle("active", m.dataset.ids.split(" ").includes(String(k)));
  }
  for (const li of problems.children) li.classList.toggle("active", li.dataset.k === String(k));
}

function select(k) {
  const d = state.report.diagnostics[k];
  draft.focus();
  draft.setSelectionRange(d.start, d.end);
  scrollToOffset(d.start);
  setActive(k);
  showAtCaret();
}

// The textarea grows with its text (it never scrolls, so it wraps lines
// exactly as the mirror does: no scrollbar takes width from one of them).
function grow() {
  draft.style.height = "auto";
  draft.style.height = `${draft.scrollHeight}px`;
}

// Bring offset `at` into view, by finding its mark in the mirror.
function scrollToOffset(at) {
  const d = state.report;
  if (!d) return;
  const target = [...highlights.querySelectorAll("[data-ids]")]
    .find((m) => m.dataset.ids.split(" ").some((k) => d.diagnostics[k].start === at));
  target?.scrollIntoView({ block: "center", behavior: "instant" });
}

// The problems under the caret, said in words (for keyboard and screen
// reader users, and anyone reading along).
function showAtCaret() {
  const r = state.report;
  if (!r || state.text !== draft.value || document.activeElement !== draft) { atCaret.replaceChildren(); return; }
  const pos = draft.selectionStart;
  const here = r.diagnostics.filter((d) => d.start <= pos && pos <= d.end && !(d.start === d.end && d.start !== pos));
  atCaret.replaceChildren(...here.map((d) => el("div", {},
    el("p", {}, el("strong", {}, `${d.severity}: `), d.message),
    d.help ? el("p", {}, d.help) : null,
    sourceLine(d))));
}

// Hover: the textarea is on top, so find the mark under the pointer by
// its boxes.
function hover(ev) {
  const r = state.report;
  if (!r || state.text !== draft.value) { tooltip.hidden = true; return; }
  const x = ev.clientX, y = ev.clientY;
  for (const m of highlights.querySelectorAll("mark[data-ids]")) {
    for (const box of m.getClientRects()) {
      if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) {
        const ids = m.dataset.ids.split(" ").map(Number);
        tooltip.replaceChildren(...ids.map((k) => {
          const d = r.diagnostics[k];
          return el("div", {}, el("p", {}, el("strong", {}, `${d.severity}: `), d.message),
            d.help ? el("p", {}, d.help) : null, sourceLine(d, true));
        }));
        tooltip.hidden = false;
        const left = Math.min(x + 12, window.innerWidth - tooltip.offsetWidth - 8);
        const top = box.bottom + 8 + tooltip.offsetHeight > window.innerHeight ? box.top - tooltip.offsetHeight - 8 : box.bottom + 8;
        tooltip.style.left = `${Math.max(8, left)}px`;
        tooltip.style.top = `${Math.max(8, top)}px`;
        setActive(ids[0]);
        return;
      }
    }
  }
  tooltip.hidden = true;
}

// --- Fixes ---------------------------------------------------------------

function applyFix(k) {
  const d = state.report.diagnostics[k];
  if (!d.fix || state.text !== draft.value) return;
  // Edits never overlap; apply the last first so earlier offsets hold.
  const edits = [...d.fix.edits].sort((a, b) => b.start - a.start);
  for (const e of edits) draft.setRangeText(e.replacement, e.start, e.end, "end");
  grow();
  const first = Math.min(...d.fix.edits.map((e) => e.start));
  const last = edits[0];
  draft.focus();
  draft.setSelectionRange(first, last.start + last.replacement.length);
  run();
}

// --- New draft -------------------------------------------------------------

const dialog = $("new-dialog");
const form = $("new-form");
$("new-draft").addEventListener("click", () => {
  $("new-error").textContent = "";
  $("new-replace").hidden = !draft.value.trim();
  dialog.showModal();
});
form.addEventListener("submit", (ev) => {
  if (ev.submitter && ev.submitter.value !== "ok") return;
  const data = new FormData(form);
  try {
    draft.value = newDraft(profile.value, data.get("to"), data.get("role"), data.get("from"));
    grow();
  } catch (e) {
    ev.preventDefault();
    $("new-error").textContent = e.message ?? String(e);
    return;
  }
  run();
  draft.focus();
  // Put the caret on the first slot left to fill.
  const slot = draft.value.indexOf("[");
  if (slot >= 0) draft.setSelectionRange(slot, draft.value.indexOf("]", slot) + 1);
  showAtCaret();
});

// --- Wiring ------------------------------------------------------------------

draft.addEventListener("input", schedule);
draft.addEventListener("mousemove", hover);
draft.addEventListener("mouseleave", () => { tooltip.hidden = true; });
for (const ev of ["keyup", "click", "focus", "select"]) draft.addEventListener(ev, showAtCaret);
draft.addEventListener("blur", () => setTimeout(showAtCaret, 0));
profile.addEventListener("change", run);
format.addEventListener("change", run);
new ResizeObserver(grow).observe(draft.parentElement);

const t0 = performance.now();
await init();
state.loadMs = performance.now() - t0;
// Warm up while the reader is still looking at the page: the first lint
// compiles the rules, and the browser compiles the module's functions as
// they are first called. Linting the skeleton once (result unused) does
// both, so the reader's first pause in typing is answered in a few ms.
const w0 = performance.now();
try {
  lint(newDraft(profile.value, "", "", ""), profile.value, format.value, today());
} catch (_) {
  // A failure here shows up again, with its message, in run().
}
state.warmUpMs = performance.now() - w0;
document.body.dataset.ready = "true";
run();
