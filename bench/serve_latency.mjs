#!/usr/bin/env node
// Save-to-reload latency of one running dev server, seen from a real browser: opens a lesson
// in headless Chromium (playwright-core, Debian's /usr/bin/chromium), edits the lesson's
// Markdown file again and again, and times each write until the page shows the edit.
// Driven by bench/serve-latency.sh, which starts and stops the servers; run with --help.
//
// Node 20+ standard library plus playwright-core, which is loaded from --playwright (an npm
// install outside the repository), never from the repository itself.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const HELP = `Usage: node bench/serve_latency.mjs --url URL --file FILE [options]

Opens URL (a page built from FILE by a dev server that is already running) in headless
Chromium, then --warmup untimed and --edits timed edits of FILE. Each edit rewrites FILE
as its original text plus one paragraph holding a unique marker (cbmark-<id>), and
measures from Date.now() just before fs.writeFileSync to the first moment the page holds
the marker: performance.timeOrigin + performance.now() in the page, taken by a
MutationObserver installed before any of the page's own scripts run, in every document
the tab loads. That covers a full reload (the new document's parser inserts the marker)
and a server that patches the DOM in place alike. Both clocks are this machine's wall clock.
FILE is restored to its original bytes at the end, also on error.

Options:
  --url URL          Page to open (required)
  --file FILE        Markdown file the page is built from (required)
  --edits N          Timed edits (default: 10)
  --warmup N         Untimed edits first (default: 2)
  --settle MS        Pause after each edit is shown, so late rebuilds and reloads land
                     before the next edit (default: 1000)
  --reloads N        After the edits, N plain reloads of the page (location.reload(), no
                     edit), timed from the new document's navigation start to the marker in
                     its DOM: the browser's share alone, for comparison (default: --edits)
  --timeout MS       Give up on one edit after this long; counted as missed (default: 60000)
  --ready-timeout MS Wait this long for URL to answer 200 (default: 300000)
  --pid PID          The server's process id: fail at once if it exits while waiting
  --started MS       Epoch ms when the server was started; reports the time until URL
                     first answered 200
  --log FILE         The server's output, read after each edit for rebuild lines
  --rebuild-re RE    Regular expression for one rebuild line in --log: named group "ms" (or
                     else the first group) is the rebuild time in ms, an optional named
                     group "pages" the number of pages written
  --out FILE         Write every measurement as JSON
  --label NAME       Name used in progress messages (default: the URL's host)
  --playwright DIR   Folder whose node_modules holds playwright-core
                     (default: $PLAYWRIGHT_DIR, else $BENCH_DIR/node, else /tmp/coursebook-bench/node)
  --chromium PATH    Browser (default: $CHROMIUM, else /usr/bin/chromium)
  -h, --help         Show this help

Prints one line on stdout, fields separated by spaces ("-" when unknown):
  ready_ms median_ms max_ms timed missed rebuild_median_ms rebuild_max_ms pages
  rebuilds_per_edit loads_per_edit to_reload_median_ms page_load_median_ms scroll_kept
  bare_reload_median_ms
`;

function parseArgs(argv) {
  const opts = {
    edits: 10, warmup: 2, settle: 1000, timeout: 60000, readyTimeout: 300000,
    playwright: process.env.PLAYWRIGHT_DIR
      || path.join(process.env.BENCH_DIR || "/tmp/coursebook-bench", "node"),
    chromium: process.env.CHROMIUM || "/usr/bin/chromium",
  };
  const names = {
    "--url": "url", "--file": "file", "--edits": "edits", "--warmup": "warmup",
    "--settle": "settle", "--timeout": "timeout", "--ready-timeout": "readyTimeout",
    "--pid": "pid", "--started": "started", "--log": "log", "--rebuild-re": "rebuildRe",
    "--out": "out", "--reloads": "reloads", "--label": "label", "--playwright": "playwright", "--chromium": "chromium",
  };
  const numeric = new Set(["reloads", "edits", "warmup", "settle", "timeout", "readyTimeout", "pid", "started"]);
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(HELP);
      process.exit(0);
    }
    let value;
    const eq = arg.indexOf("=");
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const key = names[arg];
    if (!key) usage(`unknown option: ${arg} (see --help)`);
    if (value === undefined) {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      value = argv[++i];
    }
    if (numeric.has(key)) {
      if (!/^[0-9]+$/.test(value)) usage(`${arg} must be a whole number, not \`${value}\``);
      opts[key] = Number(value);
    } else {
      opts[key] = value;
    }
  }
  if (!opts.url || !opts.file) usage("--url and --file are required (see --help)");
  if (opts.edits < 1) usage("--edits must be at least 1");
  opts.reloads ??= opts.edits;
  return opts;
}

function usage(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values) {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function alive(pid) {
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Polls the URL until it answers 200: the server has finished its first build.
async function waitReady(opts, log) {
  const deadline = Date.now() + opts.readyTimeout;
  let last = "no answer yet";
  let first404 = null;
  while (Date.now() < deadline) {
    if (!alive(opts.pid)) throw new Error(`the server (pid ${opts.pid}) exited before serving ${opts.url}`);
    try {
      const res = await fetch(opts.url, { redirect: "follow", signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status === 200) return Date.now();
      last = `HTTP ${res.status}`;
      // Every server here listens only once its first build is done: a 404 that lasts
      // means a wrong URL, not a server still starting.
      if (res.status === 404) {
        first404 ??= Date.now();
        if (Date.now() - first404 > 3000) throw new Error(`${opts.url} answers 404: is the lesson's URL right?`);
      }
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    await sleep(100);
  }
  log(`gave up waiting for ${opts.url}: ${last}`);
  throw new Error(`${opts.url} did not answer 200 within ${opts.readyTimeout} ms (last: ${last})`);
}

// Runs in every document the tab loads, before the page's own scripts. Reports each new
// marker the first time the document holds it, and each new document (to count reloads).
// The time is taken here, in the page; the binding only carries it to Node, so the binding's
// own delay does not count.
const PAGE_SCRIPT = `(() => {
  if (window.top !== window) return;
  const now = () => performance.timeOrigin + performance.now();
  const queue = [];
  const flush = () => {
    if (typeof window.__cbBench !== "function") return void setTimeout(flush, 5);
    while (queue.length) window.__cbBench(queue.shift());
  };
  const send = (m) => { queue.push(m); flush(); };
  send({ kind: "document", t: now(), href: location.href });
  const seen = new Set();
  const scan = () => {
    const root = document.documentElement;
    if (!root) return;
    const text = root.textContent || "";
    if (text.indexOf("cbmark-") < 0) return;
    const t = now(), wall = Date.now();
    const re = /cbmark-([0-9a-z]+)/g;
    let m;
    while ((m = re.exec(text))) {
      if (seen.has(m[1])) continue;
      seen.add(m[1]);
      send({ kind: "marker", id: m[1], t, wall, origin: performance.timeOrigin, href: location.href });
    }
  };
  new MutationObserver(scan).observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener("DOMContentLoaded", scan);
})();`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const label = opts.label || new URL(opts.url).host;
  const log = (m) => process.stderr.write(`    [${label}] ${m}\n`);

  const require = createRequire(path.join(path.resolve(opts.playwright), "noop.js"));
  let chromium;
  try {
    ({ chromium } = require("playwright-core"));
  } catch (e) {
    throw new Error(`playwright-core not found under ${opts.playwright}/node_modules `
      + `(npm install --prefix ${opts.playwright} playwright-core): ${e.message}`);
  }

  const file = path.resolve(opts.file);
  const original = fs.readFileSync(file);
  const originalText = original.toString("utf8");
  const base = originalText.endsWith("\n") ? originalText : `${originalText}\n`;

  const readyAt = await waitReady(opts, log);
  const readyMs = opts.started ? readyAt - opts.started : null;
  if (readyMs !== null) log(`serving after ${(readyMs / 1000).toFixed(1)} s`);

  let logOffset = 0;
  const rebuildRe = opts.rebuildRe ? new RegExp(opts.rebuildRe) : null;
  // New rebuild lines in the server's log since the last call.
  const rebuildsSince = () => {
    if (!opts.log || !rebuildRe) return [];
    let text;
    try {
      const fd = fs.openSync(opts.log, "r");
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - logOffset));
      fs.readSync(fd, buf, 0, buf.length, logOffset);
      fs.closeSync(fd);
      // Only whole lines; a line being written is read next time.
      text = buf.toString("utf8");
      const end = text.lastIndexOf("\n");
      text = end >= 0 ? text.slice(0, end + 1) : "";
      logOffset += Buffer.byteLength(text);
    } catch {
      return [];
    }
    const found = [];
    for (const line of text.split("\n")) {
      const m = rebuildRe.exec(line);
      if (m) found.push({ ms: Number(m.groups?.ms ?? m[1]), pages: m.groups?.pages ? Number(m.groups.pages) : null, line: line.trim() });
    }
    return found;
  };

  const browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ["--no-sandbox", "--headless=new"],
  });
  const records = [];
  let scrollTarget = null;
  const bareReloads = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const documents = [];
    const waiters = new Map();
    const seen = new Map();
    let onAnyMarker = null;
    await page.exposeFunction("__cbBench", (m) => {
      if (m.kind === "document") {
        documents.push(m);
      } else if (m.kind === "marker") {
        onAnyMarker?.(m);
        if (!seen.has(m.id)) {
          seen.set(m.id, m);
          waiters.get(m.id)?.(m);
        }
      }
    });
    await page.addInitScript(PAGE_SCRIPT);
    const response = await page.goto(opts.url, { waitUntil: "load" });
    if (!response || response.status() !== 200) {
      throw new Error(`${opts.url} answered ${response ? response.status() : "nothing"} in the browser`);
    }
    // The live-reload client connects after load; give it a moment before the first edit.
    await sleep(opts.settle);
    rebuildsSince();
    // Scrolled part-way down, as an author reading the lesson would be: each reload should
    // keep the position. "instant": a theme's `scroll-behavior: smooth` would otherwise
    // still be scrolling when the position is read.
    const scrollTo = async () => page.evaluate(() => {
      const room = document.documentElement.scrollHeight - window.innerHeight;
      window.scrollTo({ top: Math.max(0, Math.min(1200, Math.floor(room / 2))), behavior: "instant" });
      return window.scrollY;
    });
    scrollTarget = await scrollTo();

    const run = Date.now().toString(36);
    const total = opts.warmup + opts.edits;
    for (let k = 1; k <= total; k++) {
      const timed = k > opts.warmup;
      const id = `${run}e${k}`;
      const text = `${base}\nServe benchmark edit ${k}: cbmark-${id}.\n`;
      const shown = new Promise((resolve) => {
        waiters.set(id, resolve);
        if (seen.has(id)) resolve(seen.get(id));
      });
      const docsBefore = documents.length;
      const tWrite = Date.now();
      fs.writeFileSync(file, text);
      const result = await Promise.race([shown, sleep(opts.timeout).then(() => null)]);
      waiters.delete(id);
      const rec = { edit: k, timed, id, t_write: tWrite };
      if (result) {
        rec.t_shown = result.t;
        rec.latency_ms = result.t - tWrite;
        // performance.timeOrigin + now() against Date.now() in the same page, at the same
        // moment: how far the page's high-resolution clock is from the wall clock.
        rec.clock_skew_ms = result.t - result.wall;
        rec.href = result.href;
        // A document that started loading after the write is a reload: split the latency at
        // its navigation start (server, watcher and notification before; the browser's fetch
        // and parse after). A marker patched into the old document has no such split.
        if (result.origin > tWrite) {
          rec.to_reload_ms = result.origin - tWrite;
          rec.page_load_ms = result.t - result.origin;
        }
      } else {
        rec.missed = true;
      }
      await sleep(opts.settle);
      rec.loads = documents.length - docsBefore;
      rec.scroll_y = await page.evaluate(() => window.scrollY).catch(() => null);
      rec.scroll_kept = rec.scroll_y !== null && Math.abs(rec.scroll_y - scrollTarget) <= 2;
      if (!rec.scroll_kept) scrollTarget = await scrollTo().catch(() => scrollTarget);
      rec.rebuilds = rebuildsSince();
      const rebuild = rec.rebuilds.length
        ? ` (${rec.rebuilds.length} rebuild${rec.rebuilds.length === 1 ? "" : "s"}: ${rec.rebuilds.map((r) => `${r.ms} ms`).join(", ")})`
        : "";
      if (rec.missed) {
        log(`edit ${k}/${total}${timed ? "" : " (warm-up)"}: not shown within ${opts.timeout} ms${rebuild}; reloading the page by hand`);
        await page.reload({ waitUntil: "load" }).catch(() => {});
        await sleep(opts.settle);
        rebuildsSince();
        scrollTarget = await scrollTo().catch(() => scrollTarget);
      } else {
        const split = rec.to_reload_ms !== undefined
          ? ` = ${rec.to_reload_ms.toFixed(1)} to the reload + ${rec.page_load_ms.toFixed(1)} loading`
          : " (no new document)";
        log(`edit ${k}/${total}${timed ? "" : " (warm-up)"}: ${rec.latency_ms.toFixed(1)} ms${split}, ${rec.loads} page load(s)${rebuild}`);
        if (rec.href !== response.url() && new URL(rec.href).pathname !== new URL(response.url()).pathname) {
          log(`  note: the marker showed up at ${rec.href}, not ${response.url()}`);
        }
      }
      records.push(rec);
    }

    // The same page reloaded with nothing changed: what the browser alone costs. The file
    // still holds the last edit's marker; each new document reports it once parsed.
    for (let r = 1; r <= opts.reloads; r++) {
      const reloadAsked = Date.now() - 1;
      const shownAgain = new Promise((resolve) => {
        onAnyMarker = (m) => { if (m.origin > reloadAsked) resolve(m); };
      });
      // Asked from a timer, as a live-reload client would, so evaluate() returns first.
      await page.evaluate(() => { setTimeout(() => location.reload(), 0); });
      const m = await Promise.race([shownAgain, sleep(opts.timeout).then(() => null)]);
      onAnyMarker = null;
      if (m) bareReloads.push(m.t - m.origin);
      await sleep(Math.min(opts.settle, 500));
    }
    if (opts.reloads) log(`plain reloads: median ${median(bareReloads)?.toFixed(1)} ms from navigation start to the marker in the DOM`);
  } finally {
    await browser.close().catch(() => {});
    fs.writeFileSync(file, original);
  }

  const timedRecs = records.filter((r) => r.timed);
  const shownRecs = timedRecs.filter((r) => !r.missed);
  const lat = shownRecs.map((r) => r.latency_ms);
  const rebuildMs = timedRecs.flatMap((r) => r.rebuilds.map((b) => b.ms));
  const pages = timedRecs.flatMap((r) => r.rebuilds.map((b) => b.pages)).filter((p) => p !== null);
  const summary = {
    ready_ms: readyMs,
    median_ms: median(lat),
    max_ms: lat.length ? Math.max(...lat) : null,
    timed: timedRecs.length,
    missed: timedRecs.length - shownRecs.length,
    rebuild_median_ms: median(rebuildMs),
    rebuild_max_ms: rebuildMs.length ? Math.max(...rebuildMs) : null,
    pages: pages.length ? [...new Set(pages)].sort((a, b) => a - b).join("/") : null,
    rebuilds_per_edit: rebuildRe ? [...new Set(timedRecs.map((r) => r.rebuilds.length))].sort().join("/") : null,
    loads_per_edit: [...new Set(timedRecs.map((r) => r.loads))].sort().join("/"),
    to_reload_median_ms: median(shownRecs.filter((r) => r.to_reload_ms !== undefined).map((r) => r.to_reload_ms)),
    page_load_median_ms: median(shownRecs.filter((r) => r.page_load_ms !== undefined).map((r) => r.page_load_ms)),
    scroll_kept: `${shownRecs.filter((r) => r.scroll_kept).length}/${shownRecs.length}`,
    scroll_target: scrollTarget,
    bare_reload_median_ms: median(bareReloads),
    bare_reloads: bareReloads.length,
    max_clock_skew_ms: shownRecs.length ? Math.max(...shownRecs.map((r) => Math.abs(r.clock_skew_ms))) : null,
  };
  if (opts.out) {
    fs.writeFileSync(opts.out, `${JSON.stringify({ url: opts.url, file, settle_ms: opts.settle, summary, edits: records }, null, 2)}\n`);
  }
  const cell = (v, digits = 1) => (v === null || v === undefined || v === "" ? "-"
    : typeof v === "number" ? v.toFixed(digits) : String(v));
  process.stdout.write([
    cell(summary.ready_ms, 0), cell(summary.median_ms), cell(summary.max_ms), summary.timed,
    summary.missed, cell(summary.rebuild_median_ms, 0), cell(summary.rebuild_max_ms, 0),
    cell(summary.pages), cell(summary.rebuilds_per_edit), cell(summary.loads_per_edit),
    cell(summary.to_reload_median_ms), cell(summary.page_load_median_ms), summary.scroll_kept,
    cell(summary.bare_reload_median_ms),
  ].join(" ") + "\n");
}

main().catch((e) => {
  process.stderr.write(`serve_latency: ${e.message}\n`);
  process.exit(1);
});
