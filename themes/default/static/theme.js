// coursebook default theme. Enhancements only: every page works without JavaScript.
(function () {
"use strict";
var doc = document, root = doc.documentElement, live;
var $$ = function (sel) { return doc.querySelectorAll(sel); };
var dark = matchMedia("(prefers-color-scheme: dark)");

function announce(text) {
  if (!live) {
    live = doc.createElement("div");
    live.className = "sr-only";
    live.setAttribute("aria-live", "polite");
    doc.body.appendChild(live);
  }
  live.textContent = text;
}

// Theme: system, then the opposite of the system scheme, then the same, so each click shows.
function theme() {
  var btn = doc.querySelector(".theme-btn");
  if (!btn) return;
  var mode = function () { return root.getAttribute("data-theme") || "system"; };
  var next = function () {
    var order = dark.matches ? ["system", "light", "dark"] : ["system", "dark", "light"];
    return order[(order.indexOf(mode()) + 1) % 3];
  };
  var label = function () {
    btn.setAttribute("aria-label", "Color theme: " + mode() + " (switch to " + next() + ")");
    btn.title = "Theme: " + mode();
  };
  btn.hidden = false;
  label();
  btn.addEventListener("click", function () {
    var m = next();
    if (m === "system") root.removeAttribute("data-theme"); else root.setAttribute("data-theme", m);
    try {
      if (m === "system") localStorage.removeItem("cb-theme"); else localStorage.setItem("cb-theme", m);
    } catch (e) { /* storage blocked: the choice lasts for this page */ }
    label();
    announce("Theme: " + m);
  });
  if (dark.addEventListener) dark.addEventListener("change", label);
}

// The Clipboard API needs a secure context (not file://): fall back to a hidden textarea.
function legacyCopy(text) {
  var area = doc.createElement("textarea"), ok = false;
  area.value = text;
  area.style.cssText = "position:fixed;top:0;opacity:0";
  doc.body.appendChild(area);
  area.select();
  try { ok = doc.execCommand("copy"); } catch (e) { /* reported below */ }
  area.remove();
  return ok ? Promise.resolve() : Promise.reject();
}
function copyText(text) {
  if (!navigator.clipboard || !window.isSecureContext) return legacyCopy(text);
  return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
}

// A terminal session copies only its commands: no "$ " prompts, no output.
function commands(text, lang) {
  if (!/^(console|shell-?session|terminal)$/.test(lang) || !/^\$ /m.test(text)) return text;
  var out = [], more = false;
  text.split("\n").forEach(function (line) {
    if (more || /^\$ /.test(line)) {
      out.push(more ? line : line.slice(2));
      more = /\\$/.test(line);
    }
  });
  return out.join("\n");
}

function copyButtons() {
  $$("pre.code:not(.q-fill) > code").forEach(function (code) {
    var btn = doc.createElement("button"), timer;
    btn.type = "button";
    btn.className = "copy-btn";
    btn.textContent = "Copy";
    btn.setAttribute("aria-label", "Copy code");
    function show(ok) {
      btn.textContent = ok ? "Copied" : "Failed";
      btn.classList.toggle("copied", ok);
      announce(ok ? "Copied" : "Copy failed");
      clearTimeout(timer);
      timer = setTimeout(function () { btn.textContent = "Copy"; btn.classList.remove("copied"); }, 1500);
    }
    btn.addEventListener("click", function () {
      var text = commands(code.textContent.replace(/\n$/, ""), code.parentNode.getAttribute("data-lang"));
      copyText(text).then(function () { show(true); }, function () { show(false); });
    });
    code.parentNode.appendChild(btn);
  });
}

// The phone menu is a checkbox; Escape or following a link closes it.
function menu() {
  var toggle = doc.getElementById("nav-toggle"), side = doc.getElementById("sidebar");
  if (!toggle || !side) return;
  function set(open) {
    toggle.checked = open;
    doc.body.classList.toggle("nav-open", open);
  }
  toggle.addEventListener("change", function () { set(toggle.checked); });
  // Back and forward may restore the box ticked (browsers keep form state): start closed.
  addEventListener("pageshow", function () { set(false); });
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && toggle.checked) { set(false); toggle.focus(); }
  });
  side.addEventListener("click", function (e) { if (e.target.closest("a")) set(false); });
  var cur = side.querySelector("[aria-current=page]");
  if (cur && cur.offsetTop > side.clientHeight * 0.6) side.scrollTop = cur.offsetTop - side.clientHeight / 3;
}

// Marks the section being read in the side table of contents.
function toc() {
  var top = doc.querySelector(".toc-top"), heads = [], shown, queued;
  if (top) top.addEventListener("click", function (e) { if (e.target.closest("a")) top.open = false; });
  $$(".toc-side a").forEach(function (a) {
    var h = doc.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (h) heads.push([h, a]);
  });
  if (!heads.length) return;
  function mark() {
    queued = false;
    var active = heads[0], limit = innerHeight * 0.3;
    for (var i = 1; i < heads.length && heads[i][0].getBoundingClientRect().top < limit; i++) active = heads[i];
    if (active === shown) return;
    if (shown) { shown[1].classList.remove("active"); shown[1].removeAttribute("aria-current"); }
    active[1].classList.add("active");
    active[1].setAttribute("aria-current", "location");
    shown = active;
  }
  addEventListener("scroll", function () {
    if (!queued) { queued = true; requestAnimationFrame(mark); }
  }, { passive: true });
  mark();
}

// A diagram slightly too wide for the column is shrunk to fit instead of scrolled; code that
// still scrolls becomes focusable, so keyboard users can scroll it too.
function fitCode() {
  $$("pre.code > code").forEach(function (code) {
    var pad = 2 * parseFloat(getComputedStyle(code).paddingLeft) || 0;
    var ratio = (code.clientWidth - pad) / (code.scrollWidth - pad);
    if (ratio < 1 && ratio > 0.75 && code.parentNode.classList.contains("boxdraw")) {
      code.style.fontSize = Math.floor(ratio * 100) + "%";
    }
    if (code.scrollWidth > code.clientWidth) code.tabIndex = 0;
  });
  // Task-list checkboxes (read-only) are named by their item's text.
  $$("li > input[type=checkbox]").forEach(function (box) {
    if (!box.labels || !box.labels.length) box.setAttribute("aria-label", box.parentNode.textContent.trim());
  });
}

// Self-check boxes (task lists, ✓ tables) remember their ticks; quiz.js counts them.
function checklists() {
  var prefix = "cb:" + (root.getAttribute("data-course") || "course") + ":";
  $$("input.check[data-check]").forEach(function (box) {
    var key = prefix + box.getAttribute("data-check");
    try { var saved = localStorage.getItem(key); if (saved !== null) box.checked = saved === "true"; } catch (e) { /* not saved */ }
    box.addEventListener("change", function () {
      try { localStorage.setItem(key, String(box.checked)); } catch (e) { /* not saved */ }
    });
  });
}

// Search: the button, or "/" anywhere but in a field, loads search.js (and the index) on first use.
function search() {
  var btn = doc.querySelector(".search-btn"), loading;
  if (!btn) return;
  btn.hidden = false;
  function open() {
    if (window.coursebookSearch) return window.coursebookSearch.open();
    if (loading) return;
    loading = doc.createElement("script");
    loading.src = btn.getAttribute("data-root") + "static/search.js";
    loading.onload = function () { window.coursebookSearch.open(); };
    doc.head.appendChild(loading);
  }
  btn.addEventListener("click", open);
  doc.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    e.preventDefault();
    open();
  });
}

function init() { theme(); search(); copyButtons(); menu(); toc(); fitCode(); checklists(); }
if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init); else init();
})();
