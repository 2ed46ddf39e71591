// coursebook serve: reloads this page when a rebuild changes it (keeping the scroll position),
// shows build errors over the last good page, and reconnects by itself when the server
// restarts. Injected by `coursebook serve` only; never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script && script.getAttribute("data-build");
  var key = "cb-serve-scroll:" + location.pathname;

  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    history.scrollRestoration = "manual";
    var restore = function () { window.scrollTo(0, +saved); };
    restore();
    addEventListener("load", restore);
  }

  function here() {
    var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    if (path === "" || /\/$/.test(path)) path += "index.html";
    return path;
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  function clearOverlay() {
    var old = document.getElementById("cb-serve-overlay");
    if (old) old.remove();
  }

  function overlay(text) {
    clearOverlay();
    var box = document.createElement("div");
    box.id = "cb-serve-overlay";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build error");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1rem 1.25rem;background:#1b1f24;color:#f0f3f6;border-top:4px solid #f85149;" +
      "box-shadow:0 -6px 24px rgba(0,0,0,.35);font:14px/1.45 ui-monospace,Menlo,Consolas,monospace";
    var head = document.createElement("p");
    head.style.cssText = "margin:0 0 .6rem;font:600 15px/1.3 system-ui,sans-serif;color:#ff7b72";
    head.textContent = "The course has errors. This page shows the last good build; fix the file and it reloads.";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:0;white-space:pre-wrap;font:inherit";
    pre.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "position:absolute;top:.6rem;right:1rem;padding:.2rem .7rem;border:1px solid #8b949e;" +
      "border-radius:6px;background:none;color:inherit;font:14px system-ui,sans-serif;cursor:pointer";
    close.addEventListener("click", clearOverlay);
    box.appendChild(head);
    box.appendChild(pre);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  var events = new EventSource("/__coursebook/events");
  events.onmessage = function (e) {
    var m;
    try { m = JSON.parse(e.data); } catch (err) { return; }
    if (m.type === "hello") {
      if (build && m.build !== build) return reload();
      if (m.error) overlay(m.error); else clearOverlay();
    } else if (m.type === "error") {
      overlay(m.error);
    } else if (m.type === "reload") {
      if (m.pages === "*" || m.pages.indexOf(here()) >= 0) return reload();
      build = m.build;
      clearOverlay();
    }
  };
  // EventSource reconnects by itself after the server goes away; the hello it then receives
  // tells whether this page is out of date.
})();
