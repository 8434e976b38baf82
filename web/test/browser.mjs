// The page in a real browser: Debian's headless Chromium driven by
// playwright-core. Types a draft with known problems, checks that every
// underline covers exactly the text its diagnostic is about (after an
// emoji and curly quotes too), hovers one, reaches one by keyboard,
// applies a fix, starts a new draft, checks a Markdown draft (emphasis,
// link, quote, front matter), checks that nothing is fetched after
// load, measures, and takes screenshots at phone and desktop widths.
//
//   bash web/build.sh && (cd web && npm ci && npm test)
//
// CHROMIUM names the browser (default /usr/bin/chromium). Screenshots and
// timings go to web/test/out/.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "out");
fs.mkdirSync(out, { recursive: true });

let failures = 0;
function check(ok, what, detail = "") {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}${detail ? `\n     ${detail}` : ""}`);
  }
}

const DRAFT = [
  "Subject: After Monday\u2019s interview \u{1F642}",
  "",
  "Dear Ms. Park,",
  "",
  "Thank you for meeting me on Monday \u{1F64F}. I\u2019m still very interested in the analyst role. " +
    "I was so nervous that I fell apart, and honestly it was the worst day of my life. " +
    "I am begging you for one more chance.",
  "",
  "My SQL work at Kobo fits your team well. Would you be willing to meet again at your convenience?",
  "",
  "Thank you again.",
  "",
  "Best regards,",
  "Sam Lee",
].join("\n");


// The mirror's marks as UTF-16 ranges of the draft, per diagnostic.
function readLayout(page) {
  return page.evaluate(() => {
    const h = document.getElementById("highlights");
    const spans = {};
    let off = 0;
    for (const node of h.childNodes) {
      const len = node.textContent.length;
      if (node.nodeType === 1 && node.dataset.ids) {
        for (const k of node.dataset.ids.split(" ")) (spans[k] ??= []).push([off, off + len]);
      }
      off += len;
    }
    const t = document.getElementById("draft");
    return {
      spans,
      mirror: h.textContent,
      diagnostics: window.emaillint.report.diagnostics,
      heights: [t.scrollHeight, h.parentElement.scrollHeight],
    };
  });
}

// Every diagnostic's marks cover exactly its range, in one run.
function checkUnderlines(layout, value, what) {
  for (const [k, d] of layout.diagnostics.entries()) {
    const parts = layout.spans[k] ?? [];
    const start = parts.length ? parts[0][0] : -1;
    const end = parts.length ? parts[parts.length - 1][1] : -1;
    const contiguous = parts.every((p, i) => i === 0 || p[0] === parts[i - 1][1]);
    check(
      start === d.start && end === d.end && contiguous,
      `${what}: underline of ${d.rule} covers ${JSON.stringify(value.slice(d.start, d.end))}`,
      `marks ${JSON.stringify(parts)}, diagnostic ${d.start}..${d.end}`,
    );
  }
}

const MARKDOWN_DRAFT = [
  "---",
  "subject: After Monday\u2019s interview",
  "---",
  "",
  "Dear Ms. Park,",
  "",
  "Thank you for meeting me on **Monday** \u{1F64F}. I\u2019m still very interested in the [analyst role](https://example.com/jobs/1). " +
    "Honestly it was the *worst day of my life*, and I am begging you for one more chance.",
  "",
  "> quoted text from your last email",
  "",
  "My SQL work at Kobo fits your team well. Would you be willing to meet again at your convenience?",
  "",
  "Thank you again.",
  "",
  "Best regards,  ",
  "Sam Lee",
].join("\n");

const server = await serve(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

const timings = {};
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const requests = [];
  let loaded = false;
  page.on("request", (r) => requests.push({ url: r.url(), afterLoad: loaded }));

  await page.goto(origin + "/");
  await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
  loaded = true;
  timings.module_ready_ms = await page.evaluate(() => performance.now());
  timings.warm_up_ms = await page.evaluate(() => window.emaillint.warmUpMs);
  check(
    requests.every((r) => r.url.startsWith(origin + "/")),
    "the page loads only its own files",
    requests.map((r) => r.url).join(", "),
  );

  // Type the draft, as a person would.
  await page.click("#draft");
  const lintsBefore = await page.evaluate(() => window.emaillint.lints);
  await page.keyboard.type(DRAFT);
  await page.waitForFunction(
    ([n, text]) => window.emaillint.lints > n && window.emaillint.text === text && document.querySelector("#highlights mark"),
    [lintsBefore, DRAFT],
    { timeout: 10000 },
  );
  const value = await page.inputValue("#draft");
  check(value === DRAFT, "the textarea holds what was typed");

  // Each diagnostic's marks, in the mirror, cover exactly its UTF-16 range.
  const layout = await readLayout(page);
  check(layout.mirror === value + "\n", "the mirror holds the draft's text, character for character");
  check(Math.abs(layout.heights[0] - layout.heights[1]) <= 2, "the mirror wraps lines as the textarea does", `heights ${layout.heights}`);
  checkUnderlines(layout, value, "plain text");
  const rules = layout.diagnostics.map((d) => d.rule);
  for (const rule of ["sob-story", "desperation", "references"]) {
    check(rules.includes(rule), `the draft's known problem ${rule} is reported`, rules.join(", "));
  }
  const beg = layout.diagnostics.find((d) => d.rule === "desperation");
  check(beg && /begging/i.test(value.slice(beg.start, beg.end)), "the begging is underlined where it is, after the emoji and curly quote",
    beg ? JSON.stringify(value.slice(beg.start, beg.end)) : "none");

  // Hover an underline: its message, help and source article.
  if (beg) {
    const k = layout.diagnostics.indexOf(beg);
    const box = await page.evaluate((k) => {
      const m = [...document.querySelectorAll("#highlights mark")].find((m) => m.dataset.ids.split(" ").includes(String(k)));
      const r = m.getClientRects()[0];
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, k);
    await page.mouse.move(box.x, box.y);
    await page.waitForSelector("#tooltip:not([hidden])", { timeout: 3000 }).catch(() => {});
    const tip = await page.textContent("#tooltip");
    check(tip.includes(beg.message) && tip.includes("From:"), "hovering the underline shows the message and the article", tip);
  }

  // The checklist and the word count.
  const list = await page.$$eval("#checklist li", (lis) => lis.map((li) => li.textContent));
  for (const label of ["thanks", "interest", "excuse", "fit", "meeting request", "references", "length"]) {
    check(list.some((t) => t.includes(label)), `the checklist lists ${label}`);
  }
  const stats = await page.textContent("#stats");
  check(/\d+ words in the body/.test(stats) && /to read/.test(stats), "word count and reading time are shown", stats);
  await page.screenshot({ path: path.join(out, "desktop.png"), fullPage: true });

  // Keyboard: from the draft, Tab reaches the first problem; Enter selects
  // its words in the draft and says what is wrong there.
  await page.focus("#draft");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.className);
  check(focused === "go", "Tab from the draft reaches the list of problems", focused);
  const kFirst = await page.evaluate(() => Number(document.activeElement.dataset.k));
  await page.keyboard.press("Enter");
  const sel = await page.evaluate(() => {
    const t = document.getElementById("draft");
    return { active: document.activeElement.id, start: t.selectionStart, end: t.selectionEnd, said: document.getElementById("at-caret").textContent };
  });
  const first = layout.diagnostics[kFirst];
  check(sel.active === "draft" && sel.start === first.start && sel.end === first.end,
    "Enter on a problem selects exactly its text in the draft", JSON.stringify(sel));
  check(sel.said.includes(first.message), "the problem at the caret is written out below the draft", sel.said);

  // Apply a fix: the missing references.
  const ref = layout.diagnostics.findIndex((d) => d.rule === "references" && d.fix);
  check(ref >= 0, "the missing references come with a suggestion");
  if (ref >= 0) {
    const edit = layout.diagnostics[ref].fix.edits[0];
    const n = await page.evaluate(() => window.emaillint.lints);
    await page.click(`#problems button.apply[data-k="${ref}"]`);
    await page.waitForFunction((n) => window.emaillint.lints > n, n);
    const after = await page.inputValue("#draft");
    const expected = value.slice(0, edit.start) + edit.replacement + value.slice(edit.end);
    check(after === expected, "the fix is applied at its range and nothing else changes");
    const left = await page.evaluate(() => window.emaillint.report.diagnostics.map((d) => d.rule));
    check(!left.includes("references"), "after the fix, references is satisfied", left.join(", "));
  }

  // Time to first diagnostics on a 300-word draft.
  const email300 = fs.readFileSync(path.join(here, "..", "..", "benches", "email-300.txt"), "utf8");
  const fresh = await context.newPage();
  await fresh.goto(origin + "/");
  await fresh.waitForSelector("body[data-ready=true]");
  const t = await fresh.evaluate((text) => {
    const ready = performance.now();
    const area = document.getElementById("draft");
    area.value = text;
    const t0 = performance.now();
    window.emaillint.lintNow();
    const t1 = performance.now();
    const t2 = performance.now();
    window.emaillint.lintNow();
    return { ready, lint: t1 - t0, again: performance.now() - t2, found: window.emaillint.report.diagnostics.length };
  }, email300);
  timings.ready_ms = t.ready;
  timings.lint_300_words_ms = t.lint;
  timings.relint_300_words_ms = t.again;
  // As if the draft were in the page when the module loaded: the warm-up
  // (compiling the rules and the module's code) and then its lint.
  timings.first_diagnostics_after_load_ms = (await fresh.evaluate(() => window.emaillint.warmUpMs)) + t.lint;
  check(t.found >= 0, `300-word draft linted in ${t.lint.toFixed(1)} ms (again: ${t.again.toFixed(1)} ms)`);
  await fresh.close();

  // A new draft from the button: only its slots are reported.
  await page.selectOption("#profile", "second-chance");
  await page.click("#new-draft");
  await page.fill('#new-form input[name="to"]', "Ms. Park");
  await page.fill('#new-form input[name="role"]', "analyst");
  const n2 = await page.evaluate(() => window.emaillint.lints);
  await page.click("#new-ok");
  await page.waitForFunction((n) => window.emaillint.lints > n, n2);
  const fresh2 = await page.evaluate(() => ({
    text: document.getElementById("draft").value,
    rules: window.emaillint.report.diagnostics.map((d) => d.rule),
    selected: document.getElementById("draft").value.slice(document.getElementById("draft").selectionStart, document.getElementById("draft").selectionEnd),
  }));
  check(fresh2.text.includes("Dear Ms. Park,") && fresh2.text.includes("analyst position"), "New draft fills the names given");
  check(fresh2.rules.length === 3 && fresh2.rules.every((r) => r === "placeholder"),
    "a new draft reports only its three unfilled slots", fresh2.rules.join(", "));
  check(fresh2.selected === "[what went wrong, in one sentence]", "the caret lands on the first slot", fresh2.selected);

  // Another profile: a thank-you note is not asked for a meeting.
  await page.selectOption("#profile", "thank-you");
  const labels = await page.$$eval("#checklist li", (lis) => lis.map((li) => li.textContent));
  check(!labels.some((t) => t.includes("meeting request")), "the thank-you profile drops the meeting request", labels.join(" | "));

  // Markdown: emphasis, a link, a quote and front matter around the
  // problems; the underlines still cover exactly their words.
  await page.selectOption("#profile", "second-chance");
  await page.selectOption("#format", "markdown");
  await page.fill("#draft", MARKDOWN_DRAFT);
  await page.evaluate(() => window.emaillint.lintNow());
  const md = await readLayout(page);
  check(md.mirror === MARKDOWN_DRAFT + "\n", "Markdown: the mirror holds the draft's text");
  checkUnderlines(md, MARKDOWN_DRAFT, "Markdown");
  const mdRules = md.diagnostics.map((d) => d.rule);
  const worst = md.diagnostics.find((d) => d.rule === "sob-story");
  check(worst && MARKDOWN_DRAFT.slice(worst.start, worst.end) === "worst day of my life",
    "Markdown: the sob story is underlined inside the emphasis, without the asterisks",
    worst ? JSON.stringify(MARKDOWN_DRAFT.slice(worst.start, worst.end)) : mdRules.join(", "));
  check(!mdRules.includes("subject"), "Markdown: the front matter gives the subject", mdRules.join(", "));
  await page.selectOption("#format", "text");

  // Phone width.
  await page.selectOption("#profile", "second-chance");
  await page.fill("#draft", DRAFT);
  await page.evaluate(() => window.emaillint.lintNow());
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, "nothing is wider than a phone screen", `${overflow}px too wide`);
  await page.screenshot({ path: path.join(out, "phone.png"), fullPage: true });

  check(requests.filter((r) => r.afterLoad).length === 0, "no network request after load",
    requests.filter((r) => r.afterLoad).map((r) => r.url).join(", "));
  check(errors.length === 0, "no error in the page's console", errors.join("\n"));
} finally {
  await browser.close();
  server.close();
}

fs.writeFileSync(path.join(out, "timings.json"), JSON.stringify(timings, null, 2) + "\n");
console.log(`timings: ${JSON.stringify(timings)}`);
console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);
