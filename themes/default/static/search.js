// coursebook search: a dialog over the page. Pagefind (pagefind/search-runtime.js, written by
// the build) finds the pages; this draws the box, the module filter and the results. Loaded by
// theme.js on the first click of the search button or "/". Works over http(s) and file://.
(function () {
"use strict";
var doc = document, btn = doc.querySelector(".search-btn");
if (!btn || window.coursebookSearch) return;
var base = new URL(btn.getAttribute("data-root") || "", location.href).href;
var dialog, input, select, status, list, engine, asked = 0;

function el(tag, attrs, text) {
  var node = doc.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  if (text) node.textContent = text;
  return node;
}

function load(src) {
  return new Promise(function (resolve, reject) {
    var s = el("script", { src: src });
    s.onload = resolve;
    s.onerror = function () { reject(new Error("cannot load " + src)); };
    doc.head.appendChild(s);
  });
}

// Pagefind, started once. It searches on the page's thread: a worker would cost the first
// query another 43 KB for work that takes milliseconds, and file:// pages cannot start one.
function pagefind() {
  if (!engine) {
    engine = load(base + "pagefind/search-runtime.js").then(function () {
      return window.coursebookPagefind.createInstance({
        basePath: base + "pagefind/", baseUrl: "/", excerptLength: 24, noWorker: true
      });
    });
    engine.then(modules, function () {});
  }
  return engine;
}

// The module filter, in the sidebar's order.
function modules(pf) {
  pf.filters().then(function (filters) {
    var order = [].map.call(doc.querySelectorAll(".nav-module-link"), function (a) { return a.textContent.trim(); });
    var names = Object.keys((filters && filters.module) || {});
    names.sort(function (a, b) { return rank(a) - rank(b) || a.localeCompare(b); });
    function rank(n) { var i = order.indexOf(n); return i < 0 ? order.length : i; }
    names.forEach(function (n) { select.appendChild(el("option", { value: n }, n)); });
    select.hidden = names.length < 2;
  });
}

// An excerpt is text with <mark>s around the hits; nothing else of it becomes markup.
function excerpt(html) {
  var t = doc.createElement("template"), out = el("span", { "class": "search-excerpt" });
  t.innerHTML = html;
  t.content.childNodes.forEach(function (n) {
    out.appendChild(n.nodeName === "MARK" ? el("mark", {}, n.textContent) : doc.createTextNode(n.textContent));
  });
  return out;
}

// The part of the page with the most hits, if it has its own heading.
function best(data) {
  var subs = (data.sub_results || []).slice();
  subs.sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length; });
  return subs[0] || data;
}

function show(found, term) {
  list.textContent = "";
  found.forEach(function (data) {
    var part = best(data), where = data.meta.module || "";
    if (part.title && part.title !== data.meta.title) where += (where ? " › " : "") + part.title;
    var a = el("a", { href: base + part.url.replace(/^\//, "") });
    a.appendChild(el("span", { "class": "search-title" }, data.meta.title));
    if (where) a.appendChild(el("span", { "class": "search-where" }, where));
    a.appendChild(excerpt(part.excerpt || data.excerpt));
    var li = el("li");
    li.appendChild(a);
    list.appendChild(li);
  });
  status.textContent = !term ? "" : found.length
    ? found.length + (found.length === 1 ? " result" : " results") + " for “" + term + "”"
    : "No results for “" + term + "”";
}

function run() {
  var term = input.value.trim(), ticket = ++asked, filters = {};
  if (select.value) filters.module = select.value;
  if (!term) { show([], ""); return; }
  pagefind().then(function (pf) {
    return pf.debouncedSearch(term, { filters: filters }, 120);
  }).then(function (search) {
    if (!search || ticket !== asked) return null;
    return Promise.all(search.results.slice(0, 10).map(function (r) { return r.data(); }));
  }).then(function (found) {
    if (found && ticket === asked) show(found, term);
  }, function (e) {
    status.textContent = "Search could not load (" + e.message + ").";
  });
}

// Arrow keys walk from the box through the results and back; Enter in the box opens the first;
// Escape closes (also when the browser would not, for lack of a recent user gesture).
function keys(e) {
  var links = [].slice.call(list.querySelectorAll("a")), at = links.indexOf(doc.activeElement);
  if (e.key === "Escape") {
    e.preventDefault();
    dialog.close();
  } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    if (!links.length) return;
    e.preventDefault();
    var next = e.key === "ArrowDown" ? at + 1 : at - 1;
    if (at < 0) next = e.key === "ArrowDown" ? 0 : links.length - 1;
    if (next < 0 || next >= links.length) input.focus(); else links[next].focus();
  } else if (e.key === "Enter" && e.target === input) {
    e.preventDefault();
    if (links.length) location.href = links[0].href;
  }
}

function build() {
  dialog = el("dialog", { "class": "search-dialog", "aria-label": "Search the course" });
  var bar = el("div", { "class": "search-bar", role: "search" });
  input = el("input", { type: "search", "class": "search-input", "aria-label": "Search the course", placeholder: "Search the course", autocomplete: "off", spellcheck: "false" });
  select = el("select", { "class": "search-module", "aria-label": "Module" });
  select.appendChild(el("option", { value: "" }, "All modules"));
  select.hidden = true;
  var close = el("button", { type: "button", "class": "search-close", title: "Close (Esc)" }, "Close");
  bar.append(input, select, close);
  status = el("p", { "class": "search-status", role: "status" });
  list = el("ol", { "class": "search-results", "aria-label": "Results" });
  dialog.append(bar, status, list);
  doc.body.appendChild(dialog);
  input.addEventListener("input", run);
  select.addEventListener("change", run);
  dialog.addEventListener("keydown", keys);
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
}

function open() {
  if (!dialog) build();
  if (!dialog.open) dialog.showModal();
  input.focus();
  input.select();
  pagefind();
}

var css = el("link", { rel: "stylesheet", href: base + "static/search.css" });
var ready = new Promise(function (resolve) { css.onload = css.onerror = resolve; });
doc.head.appendChild(css);
window.coursebookSearch = { open: function () { ready.then(open); } };
})();
