// coursebook quizzes and progress (theme.js saves checklist ticks). Every quiz works without this file (answers sit
// in "Show answer" disclosures); with it, questions are graded in place and the learner's
// answers and ticks are saved in localStorage, under a prefix that names the course.
(function () {
"use strict";
var doc = document;
var prefix = "cb:" + (doc.documentElement.getAttribute("data-course") || "course") + ":";
var $$ = function (root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };

// Storage may be blocked (private mode, file:// in some browsers): then nothing is saved.
var store = {
  get: function (key) {
    try { return JSON.parse(localStorage.getItem(prefix + key)); } catch (e) { return null; }
  },
  set: function (key, value) {
    try { localStorage.setItem(prefix + key, JSON.stringify(value)); } catch (e) { /* not saved */ }
  },
  remove: function (key) {
    try { localStorage.removeItem(prefix + key); } catch (e) { /* nothing saved */ }
  },
  keys: function () {
    var out = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k && k.indexOf(prefix) === 0) out.push(k.slice(prefix.length));
      }
    } catch (e) { /* none */ }
    return out;
  }
};

// A progress key is done when its question was answered right or its box is ticked.
function done(key) {
  var saved = store.get(key);
  return key.charAt(0) === "q" ? !!(saved && saved.ok) : saved === true;
}

function norm(text, caseSensitive) {
  var t = String(text).trim().replace(/\s+/g, " ");
  return caseSensitive ? t : t.toLowerCase();
}

function matches(answer, accepted, caseSensitive, regex) {
  return accepted.some(function (a) {
    if (regex) {
      try { return new RegExp("^(?:" + a + ")$", caseSensitive ? "" : "i").test(String(answer).trim()); }
      catch (e) { return false; }
    }
    return norm(a, caseSensitive) === norm(answer, caseSensitive);
  });
}

// A number as people type it: "2", "-0.5", "3,5" (decimal comma), "1e3"; anything else
// ("2 layers", "1,000.5") is not a number.
function number(text) {
  var t = String(text).trim().replace(/^\+/, "");
  if (/^-?\d+,\d+$/.test(t)) t = t.replace(",", ".");
  return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : null;
}

function outputLines(text) {
  var lines = String(text).replace(/\r\n?/g, "\n").split("\n").map(function (l) { return l.replace(/\s+$/, ""); });
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  while (lines.length && !lines[0]) lines.shift();
  return lines.join("\n");
}

// The learner's answer to a question, or null when there is none yet.
function read(li, key) {
  var named = function (sel) { return $$(li, sel); };
  switch (key.type) {
    case "single":
    case "true-false": {
      var picked = named("input[type=radio]:checked")[0];
      return picked ? picked.value : null;
    }
    case "multiple": {
      var values = named("input[type=checkbox]:checked").map(function (b) { return +b.value; });
      return values.length ? values.sort() : null;
    }
    case "order": {
      var positions = [];
      named(".q-order li").forEach(function (item) {
        positions[+item.getAttribute("data-step")] = item.querySelector("select").value;
      });
      return positions.every(Boolean) ? positions : null;
    }
    case "fill": {
      var blanks = named("input.q-blank").map(function (i) { return i.value; });
      return blanks.some(function (b) { return b.trim(); }) ? blanks : null;
    }
    default: {
      var field = li.querySelector("input[type=text], textarea");
      return field && field.value.trim() ? field.value : null;
    }
  }
}

function write(li, key, value) {
  switch (key.type) {
    case "single":
    case "true-false":
      $$(li, "input[type=radio]").forEach(function (r) { r.checked = r.value === String(value); });
      break;
    case "multiple":
      $$(li, "input[type=checkbox]").forEach(function (b) { b.checked = value.indexOf(+b.value) >= 0; });
      break;
    case "order":
      $$(li, ".q-order li").forEach(function (item) {
        item.querySelector("select").value = value[+item.getAttribute("data-step")] || "";
      });
      break;
    case "fill":
      $$(li, "input.q-blank").forEach(function (input, i) { input.value = value[i] || ""; });
      break;
    default: {
      var field = li.querySelector("input[type=text], textarea");
      if (field) field.value = value;
    }
  }
}

function grade(key, value) {
  switch (key.type) {
    case "single": return +value === key.correct[0];
    case "multiple": return value.join() === key.correct.slice().sort().join();
    case "true-false": return (value === "true") === key.answer;
    case "short": return matches(value, key.accept, key.caseSensitive, key.regex);
    case "numeric": {
      var n = number(value);
      return n !== null && Math.abs(n - key.answer) <= key.tolerance + 1e-9;
    }
    case "order": return value.every(function (position, step) { return +position === step + 1; });
    case "fill": return key.blanks.every(function (accepted, i) { return matches(value[i] || "", accepted, key.caseSensitive, false); });
    case "output": return outputLines(value) === outputLines(key.output);
  }
  return false;
}

function clearMarks(li) {
  li.classList.remove("is-right", "is-wrong");
  $$(li, ".q-choice").forEach(function (c) { c.classList.remove("picked-right", "picked-wrong"); });
  $$(li, ".q-feedback").forEach(function (f) { f.hidden = true; });
  $$(li, "input.q-blank").forEach(function (b) {
    b.classList.remove("blank-right", "blank-wrong");
    b.removeAttribute("aria-invalid");
  });
  var result = li.querySelector(".q-result");
  result.textContent = "";
}

// Shows the grade of the current answer: the result, feedback on the picked choices and, once
// right, the explanation.
function show(li, key, ok) {
  clearMarks(li);
  li.classList.add(ok ? "is-right" : "is-wrong");
  if (key.type === "fill") {
    $$(li, "input.q-blank").forEach(function (input, i) {
      var right = matches(input.value, key.blanks[i], key.caseSensitive, false);
      input.classList.add(right ? "blank-right" : "blank-wrong");
      input.setAttribute("aria-invalid", right ? "false" : "true");
    });
  }
  if (key.correct || key.type === "true-false") {
    $$(li, ".q-choice input").forEach(function (input) {
      if (!input.checked) return;
      var right = key.correct ? key.correct.indexOf(+input.value) >= 0 : (input.value === "true") === key.answer;
      input.closest(".q-choice").classList.add(right ? "picked-right" : "picked-wrong");
      var feedback = li.querySelector('.q-feedback[data-choice="' + input.value + '"]');
      if (feedback) feedback.hidden = false;
    });
  }
  var result = li.querySelector(".q-result");
  var verdict = doc.createElement("p");
  verdict.className = "q-verdict";
  verdict.textContent = ok ? "✓ Correct." : "✗ Not quite. Change your answer and check again, or open “Show answer”.";
  result.appendChild(verdict);
  var explain = li.querySelector(".q-answer .q-explain");
  if (ok && explain) result.appendChild(explain.cloneNode(true));
  if (!ok) {
    var again = doc.createElement("button");
    again.type = "button";
    again.className = "q-retry";
    again.textContent = "Try again";
    again.addEventListener("click", function () { retry(li, key); });
    result.appendChild(again);
  }
}

function retry(li, key) {
  $$(li, "input[type=radio], input[type=checkbox]").forEach(function (b) { b.checked = false; });
  $$(li, "input[type=text], textarea").forEach(function (t) { t.value = ""; });
  $$(li, "select").forEach(function (s) { s.value = ""; });
  clearMarks(li);
  store.remove("q:" + key.id);
  score(li.closest("form.quiz"));
  var first = li.querySelector("input, select, textarea");
  if (first) first.focus();
}

function score(form) {
  var items = $$(form, "li.question");
  var right = items.filter(function (li) { return li.classList.contains("is-right"); }).length;
  var answered = items.filter(function (li) { return li.classList.contains("is-right") || li.classList.contains("is-wrong"); }).length;
  form.querySelector(".quiz-score").textContent = answered
    ? "Score: " + right + " of " + items.length + " correct" + (right === items.length ? ". Well done!" : ".")
    : "";
}

// Shuffled once per learner: the order is drawn from a seed kept in the browser, so a
// returning learner sees the choices where they left them.
function seed() {
  var s = store.get("seed");
  if (typeof s !== "number") {
    s = Math.floor(Math.random() * 4294967296);
    store.set("seed", s);
  }
  return s;
}

function shuffle(list, id) {
  var items = $$(list, ":scope > li");
  var state = seed();
  for (var c = 0; c < id.length; c++) state = Math.imul(state ^ id.charCodeAt(c), 16777619) >>> 0;
  var random = function () {
    state = (state + 0x6d2b79f5) >>> 0;
    var t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (var i = items.length - 1; i > 0; i--) {
    var j = Math.floor(random() * (i + 1));
    var t = items[i]; items[i] = items[j]; items[j] = t;
  }
  items.forEach(function (item) { list.appendChild(item); });
}

function hints(li, actions) {
  var all = $$(li, ".q-hint");
  if (!all.length) return;
  all.forEach(function (h) { h.hidden = true; });
  var shown = 0;
  var btn = doc.createElement("button");
  btn.type = "button";
  btn.className = "q-hint-btn";
  var label = function () { btn.textContent = "Show a hint (" + (shown + 1) + " of " + all.length + ")"; };
  label();
  btn.addEventListener("click", function () {
    var hint = all[shown++];
    hint.hidden = false;
    hint.open = true;
    hint.querySelector("summary").focus();
    if (shown === all.length) btn.hidden = true; else label();
  });
  actions.appendChild(btn);
}

function question(li, key) {
  var actions = li.querySelector(".q-actions");
  actions.hidden = false;
  var list = li.querySelector(".q-choices[data-shuffle]");
  if (list) shuffle(list, key.id);
  hints(li, actions);
  var check = function () {
    var value = read(li, key);
    var problem = value === null ? "Answer the question first."
      : key.type === "numeric" && number(value) === null ? "Enter a number, such as 3 or 0.5." : "";
    if (problem) {
      clearMarks(li);
      var p = doc.createElement("p");
      p.className = "q-verdict";
      p.textContent = problem;
      li.querySelector(".q-result").appendChild(p);
      return;
    }
    var ok = grade(key, value);
    store.set("q:" + key.id, { v: value, ok: ok });
    show(li, key, ok);
    score(li.closest("form.quiz"));
  };
  li.querySelector(".q-check").addEventListener("click", check);
  // Enter in a one-line answer checks it instead of submitting the form.
  $$(li, "input[type=text]").forEach(function (input) {
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); check(); }
    });
  });
  var saved = store.get("q:" + key.id);
  if (saved && saved.v !== undefined && saved.v !== null) {
    write(li, key, saved.v);
    show(li, key, grade(key, saved.v));
  }
}

function quiz(form) {
  var keyNode = form.querySelector(".quiz-key");
  var keys;
  try { keys = JSON.parse(keyNode.textContent); } catch (e) { return; }
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var items = $$(form, "li.question");
  items.forEach(function (li, i) { if (keys[i]) question(li, keys[i]); });
  var footer = form.querySelector(".quiz-footer");
  footer.hidden = false;
  footer.querySelector(".quiz-reset").addEventListener("click", function () {
    items.forEach(function (li, i) { if (keys[i]) retry(li, keys[i]); });
    score(form);
    var first = form.querySelector("input, select, textarea");
    if (first) first.focus();
  });
  score(form);
}

function badges() {
  $$(doc, "[data-progress]").forEach(function (badge) {
    var keys = badge.getAttribute("data-progress").split(/\s+/).filter(Boolean);
    if (!keys.length) return;
    var count = keys.filter(done).length;
    badge.querySelector(".progress-text").textContent = count + " of " + keys.length + " done";
    badge.classList.toggle("is-done", count === keys.length);
    badge.classList.toggle("is-started", count > 0);
    badge.hidden = false;
  });
}

function progress() {
  badges();
  var reset = doc.querySelector(".progress-reset");
  if (reset) {
    reset.hidden = false;
    reset.addEventListener("click", function () {
      if (!confirm("Forget every quiz answer and ticked box of this course in this browser?")) return;
      store.keys().forEach(function (k) { if (/^[qc]:/.test(k)) store.remove(k); });
      badges();
    });
  }
}

function init() {
  $$(doc, "form.quiz").forEach(quiz);
  progress();
}
if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init); else init();
})();
