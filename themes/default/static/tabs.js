// Content tabs (Material's `=== "Label"`, see src/material.rs). Without JavaScript every panel
// shows under its label heading; this turns each set into a WAI-ARIA tablist: one tab stop,
// arrow keys, Home and End move between tabs and show their panels (automatic activation, as
// in the APG "Tabs" pattern).
(function () {
"use strict";
var count = 0;

function setUp(set) {
  var panels = [], tabs = [];
  for (var i = 0; i < set.children.length; i++) {
    if (set.children[i].classList.contains("tabbed-block")) panels.push(set.children[i]);
  }
  if (!panels.length) return;
  var list = document.createElement("div");
  list.className = "tabbed-tabs";
  list.setAttribute("role", "tablist");
  var chosen = 0;
  panels.forEach(function (panel, i) {
    var n = ++count, label = panel.querySelector(".tabbed-label");
    var tab = document.createElement("button");
    tab.type = "button";
    tab.id = "tab-" + n;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", "tabpanel-" + n);
    tab.textContent = label ? label.textContent : "Tab " + (i + 1);
    panel.id = "tabpanel-" + n;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    panel.tabIndex = 0;
    if (panel.hasAttribute("data-selected")) chosen = i;
    tab.addEventListener("click", function () { select(i, false); });
    list.appendChild(tab);
    tabs.push(tab);
  });
  function select(index, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) tabs[index].focus();
  }
  list.addEventListener("keydown", function (e) {
    var at = tabs.indexOf(document.activeElement), last = tabs.length - 1, to;
    if (at < 0) return;
    var rtl = getComputedStyle(list).direction === "rtl";
    var key = e.key;
    if (rtl && key === "ArrowLeft") key = "ArrowRight"; else if (rtl && key === "ArrowRight") key = "ArrowLeft";
    if (key === "ArrowRight") to = at === last ? 0 : at + 1;
    else if (key === "ArrowLeft") to = at === 0 ? last : at - 1;
    else if (key === "Home") to = 0;
    else if (key === "End") to = last;
    else return;
    e.preventDefault();
    select(to, true);
  });
  set.insertBefore(list, set.firstChild);
  set.classList.add("has-tabs");
  select(chosen, false);
}

var sets = document.querySelectorAll(".tabbed-set");
for (var i = 0; i < sets.length; i++) setUp(sets[i]);
})();
