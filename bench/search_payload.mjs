#!/usr/bin/env node
// First-query search payload of one built site, seen from a real browser: serves the site
// over HTTP from this process, opens a page in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium), presses the search key, types a query, waits for the results, and
// adds up the bytes the server sent for every request made from the key press on.
// Driven by bench/build-speed.sh; run with --help.
//
// Node 20+ standard library plus playwright-core, which is loaded from --playwright (an npm
// install outside the repository), never from the repository itself.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const HELP = `Usage: node bench/search_payload.mjs --tool coursebook|mdbook --root DIR --page PATH --query TEXT [options]

Serves DIR (a built site: coursebook's public/ or mdBook's book/) on 127.0.0.1 with a
plain static server (Content-Length on every answer, no compression, Cache-Control:
max-age=3600 like a typical static host), opens PATH (relative to DIR) in a fresh headless Chromium context, waits until
the page has loaded and the network has been quiet for --quiet ms, then presses the search
key ("/"), waits for the search box to have focus, types TEXT, and waits until the tool
shows its results for TEXT:

  coursebook  .search-status reads "N results for “TEXT”" (or "No results for …")
  mdbook      #mdbook-searchresults-header reads "N search results for 'TEXT':" (or "No …")

then until the network has been quiet for --quiet ms again.

Bytes are counted by the server as it writes them (body bytes; headers are listed apart),
so requests made from a Web Worker (Pagefind searches in one) count too; the browser's
Resource Timing entries (page and workers, encodedBodySize) are added up as a cross-check.
gzip_bytes is a what-if: the counted files gzipped at level 6 (a file that would grow is
counted as is), for a host that compresses everything.

Payload = body bytes of every request made from the key press on, plus the bytes of
search files the page had already fetched while loading (--preloaded), because a page that
loads its search scripts up front still makes every reader download them: mdBook's
elasticlunr, mark and searcher scripts are plain <script> tags on every page.

Options:
  --tool NAME        coursebook or mdbook: which key, box and results to use (required)
  --root DIR         Folder to serve (required)
  --page PATH        Page to open, relative to DIR (required)
  --query TEXT       What to type (required)
  --preloaded RE     Regular expression (on the URL path) for search files fetched during
                     page load that count toward the payload (default for mdbook:
                     (elasticlunr|mark|searcher)[^/]*\\.js$; for coursebook:
                     (^/pagefind/|/static/search\\.))
  --quiet MS         Network quiet time that ends a phase (default: 1000)
  --timeout MS       Give up waiting for the results after this long (default: 900000)
  --out FILE         Write every request and the totals as JSON
  --playwright DIR   Folder whose node_modules holds playwright-core
                     (default: $PLAYWRIGHT_DIR, else $BENCH_DIR/node, else /tmp/coursebook-bench/node)
  --chromium PATH    Browser (default: $CHROMIUM, else /usr/bin/chromium)
  -h, --help         Show this help

Prints one line on stdout, fields separated by tabs:
  payload_bytes requests after_key_bytes preloaded_bytes header_bytes ms_to_results
  results_text timing_cross_check_bytes gzip_bytes breakdown
where breakdown is "kind files bytes" groups separated by "; ", largest first.
`;

function parseArgs(argv) {
  const opts = {
    quiet: 1000, timeout: 900000,
    playwright: process.env.PLAYWRIGHT_DIR
      || path.join(process.env.BENCH_DIR || "/tmp/coursebook-bench", "node"),
    chromium: process.env.CHROMIUM || "/usr/bin/chromium",
  };
  const names = {
    "--tool": "tool", "--root": "root", "--page": "page", "--query": "query",
    "--preloaded": "preloaded", "--quiet": "quiet", "--timeout": "timeout", "--out": "out",
    "--playwright": "playwright", "--chromium": "chromium",
  };
  const numeric = new Set(["quiet", "timeout"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(HELP);
      process.exit(0);
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = names[flag];
    if (!key) throw new Error(`unknown option: ${arg} (see --help)`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    opts[key] = numeric.has(key) ? Number(value) : value;
    if (numeric.has(key) && !(opts[key] >= 0)) throw new Error(`${flag} must be a number`);
  }
  for (const k of ["tool", "root", "page", "query"]) {
    if (!opts[k]) throw new Error(`--${k} is required (see --help)`);
  }
  if (!TOOLS[opts.tool]) throw new Error("--tool must be coursebook or mdbook");
  opts.preloaded = new RegExp(opts.preloaded || TOOLS[opts.tool].preloaded);
  return opts;
}

// Per tool: the search box, how to read "results are shown for this query", and what
// each fetched file is, for the breakdown.
const TOOLS = {
  coursebook: {
    input: ".search-input",
    status: ".search-status",
    done: (text, q) => text.includes(`for “${q}”`),
    preloaded: String.raw`(^/pagefind/|/static/search\.)`,
    kind(p) {
      if (/\/pagefind\/index\//.test(p)) return "pagefind index chunks";
      if (/\/pagefind\/fragment\//.test(p)) return "pagefind fragments";
      if (/\/pagefind\/filter\//.test(p)) return "pagefind filters";
      if (/\/pagefind\/wasm\./.test(p)) return "pagefind wasm";
      if (/\.pf_meta$/.test(p)) return "pagefind pf_meta";
      if (/\/pagefind\/[^/]*\.js$/.test(p)) return "pagefind JS";
      if (/\/pagefind\//.test(p)) return "pagefind other";
      if (/\/static\/search\./.test(p)) return "theme search.js/css";
      return "other";
    },
  },
  mdbook: {
    input: "#mdbook-searchbar",
    status: "#mdbook-searchresults-header",
    done: (text, q) => text.includes(`for '${q}'`),
    preloaded: String.raw`(elasticlunr|mark|searcher)[^/]*\.js$`,
    kind(p) {
      if (/searchindex[^/]*\.js(on)?$/.test(p)) return "searchindex";
      if (/(elasticlunr|mark|searcher)[^/]*\.js$/.test(p)) return "search scripts";
      return "other";
    },
  },
};

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
  ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".xml": "application/xml",
  ".wasm": "application/wasm",
};

// A static server that counts what it sends. Every request is logged when its answer has
// been written in full (or the connection closed), with the time it arrived.
function serve(root, logEntries) {
  const inflight = new Set();
  const server = http.createServer((req, res) => {
    const entry = { path: decodeURIComponent(new URL(req.url, "http://x").pathname), at: Date.now(), status: 0, body: 0, headers: 0, done: false };
    inflight.add(entry);
    const finish = () => {
      if (entry.done) return;
      entry.done = true;
      entry.end = Date.now();
      inflight.delete(entry);
      logEntries.push(entry);
    };
    res.on("finish", finish);
    res.on("close", finish);
    let file = path.join(root, path.normalize(entry.path));
    if (!file.startsWith(root)) file = root + "/\0";
    let stat;
    try {
      stat = fs.statSync(file);
      if (stat.isDirectory()) {
        file = path.join(file, "index.html");
        stat = fs.statSync(file);
      }
    } catch {
      stat = null;
    }
    const send = (status, type, length) => {
      // Cacheable like a typical static host: a file the page already has is not fetched again
      // (a fresh browser context starts with an empty cache, so nothing comes from earlier runs).
      const headers = { "Content-Type": type, "Content-Length": length, "Cache-Control": "public, max-age=3600" };
      res.writeHead(status, headers);
      entry.status = status;
      entry.body = length;
      // Status line and header lines as written (approximate: Node adds Date and Connection).
      entry.headers = `HTTP/1.1 ${status} X\r\n`.length
        + Object.entries(headers).reduce((n, [k, v]) => n + `${k}: ${v}\r\n`.length, 0) + 70;
    };
    if (!stat || !stat.isFile()) {
      send(404, "text/plain", 10);
      res.end("not found\n");
      return;
    }
    send(200, TYPES[path.extname(file)] || "application/octet-stream", stat.size);
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port, inflight }));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until no request has been in flight or started for `quiet` ms.
async function networkQuiet(srv, logEntries, quiet, deadline) {
  let seen = -1, since = Date.now();
  for (;;) {
    if (logEntries.length !== seen || srv.inflight.size > 0) {
      seen = logEntries.length;
      since = Date.now();
    } else if (Date.now() - since >= quiet) {
      return;
    }
    if (Date.now() > deadline) throw new Error("the network never went quiet");
    await sleep(50);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tool = TOOLS[opts.tool];
  const log = (m) => process.stderr.write(`    [${opts.tool}] ${m}\n`);
  const root = path.resolve(opts.root);

  const require = createRequire(path.join(path.resolve(opts.playwright), "noop.js"));
  let chromium;
  try {
    ({ chromium } = require("playwright-core"));
  } catch (e) {
    throw new Error(`playwright-core not found under ${opts.playwright}/node_modules `
      + `(npm install --prefix ${opts.playwright} playwright-core): ${e.message}`);
  }

  const entries = [];
  const srv = await serve(root, entries);
  const url = `http://127.0.0.1:${srv.port}/${opts.page.replace(/^\//, "")}`;
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ["--no-sandbox", "--headless=new"],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const deadline = Date.now() + opts.timeout;
    await page.goto(url, { waitUntil: "load", timeout: opts.timeout });
    await networkQuiet(srv, entries, opts.quiet, deadline);
    const loadEntries = entries.length;
    log(`loaded ${opts.page}: ${loadEntries} requests`);

    const keyAt = Date.now();
    await page.keyboard.press("/");
    await page.waitForFunction((sel) => document.activeElement && document.activeElement.matches(sel),
      tool.input, { timeout: opts.timeout, polling: 20 });
    await page.keyboard.type(opts.query);
    // Poll from Node: the page's own main thread may be busy for a long time (mdBook parses
    // its whole index there), and the condition is checked between tasks either way.
    let text = "";
    for (;;) {
      text = await page.evaluate((sel) => document.querySelector(sel)?.textContent || "", tool.status);
      if (tool.done(text, opts.query)) break;
      if (Date.now() > deadline) throw new Error(`no results for "${opts.query}" after ${opts.timeout} ms (status: "${text}")`);
      await sleep(20);
    }
    const msToResults = Date.now() - keyAt;
    log(`"${text.trim()}" ${msToResults} ms after the key press`);
    await networkQuiet(srv, entries, opts.quiet, deadline);

    // Cross-check: what the browser itself saw (page and its workers).
    const timing = async (target) => target.evaluate(() => performance.getEntriesByType("resource")
      .map((e) => ({ name: e.name, start: e.startTime, encoded: e.encodedBodySize, transfer: e.transferSize })));
    const pageTiming = await timing(page);
    const workerTiming = [];
    for (const w of page.workers()) workerTiming.push(...await timing(w).catch(() => []));
    const keyRel = await page.evaluate((t) => t - performance.timeOrigin, keyAt);
    // Same rule as the server's count (from the key press on, plus preloaded search files);
    // transferSize 0 means the browser's cache answered, which the server never saw.
    const crossCheck = pageTiming
      .filter((e) => e.start >= keyRel || opts.preloaded.test(new URL(e.name).pathname))
      .concat(workerTiming)
      .filter((e) => e.transfer > 0)
      .reduce((n, e) => n + e.encoded, 0);

    const after = entries.filter((e) => e.at >= keyAt);
    const before = entries.filter((e) => e.at < keyAt);
    const preloaded = before.filter((e) => opts.preloaded.test(e.path));
    const counted = preloaded.concat(after);
    const sum = (list, k) => list.reduce((n, e) => n + e[k], 0);
    const groups = new Map();
    for (const e of counted) {
      const g = groups.get(tool.kind(e.path)) || { files: 0, bytes: 0 };
      g.files += 1;
      g.bytes += e.body;
      groups.set(tool.kind(e.path), g);
    }
    const breakdown = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes)
      .map(([k, g]) => `${k} ${g.files} ${g.bytes}`).join("; ");
    // What-if: the same files gzipped (level 6) by a server that compresses everything.
    // Pagefind's data files are gzip inside already, so they barely shrink; scripts and
    // mdBook's index do.
    const gzipped = new Map();
    for (const e of counted) {
      if (e.status !== 200 || gzipped.has(e.path)) continue;
      const file = path.join(root, path.normalize(e.path));
      try {
        gzipped.set(e.path, Math.min(e.body, zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length));
      } catch {
        gzipped.set(e.path, e.body);
      }
    }
    const gzipBytes = counted.reduce((n, e) => n + (e.status === 200 ? gzipped.get(e.path) : e.body), 0);
    const result = {
      tool: opts.tool, url, query: opts.query, results_text: text.trim(), ms_to_results: msToResults,
      payload_bytes: sum(counted, "body"), requests: counted.length,
      after_key_bytes: sum(after, "body"), preloaded_bytes: sum(preloaded, "body"),
      header_bytes: sum(counted, "headers"), cross_check_bytes: crossCheck, gzip_bytes: gzipBytes,
      failed: counted.filter((e) => e.status !== 200).map((e) => `${e.status} ${e.path}`),
      breakdown: Object.fromEntries(groups),
      page_load_requests: before.map(({ path: p, body, status }) => ({ path: p, body, status })),
      counted: counted.map(({ path: p, body, status, at }) => ({ path: p, body, status, ms_after_key: at - keyAt })),
      resource_timing: { page: pageTiming, workers: workerTiming },
    };
    if (opts.out) fs.writeFileSync(opts.out, JSON.stringify(result, null, 2) + "\n");
    if (result.failed.length) log(`warning: ${result.failed.length} request(s) failed: ${result.failed.slice(0, 5).join(", ")}`);
    process.stdout.write([result.payload_bytes, result.requests, result.after_key_bytes, result.preloaded_bytes,
      result.header_bytes, msToResults, result.results_text, crossCheck, gzipBytes, breakdown].join("\t") + "\n");
  } finally {
    await browser.close();
    srv.server.close();
  }
}

main().catch((e) => {
  process.stderr.write(`search_payload: ${e.stack || e.message}\n`);
  process.exit(1);
});
