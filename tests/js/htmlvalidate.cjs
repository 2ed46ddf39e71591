// html-validate's recommended rules, with these exceptions for what a course site is made of.
// tests/html_valid.rs runs it on every page of the built bundled course.
module.exports = {
  extends: ["html-validate:recommended"],
  rules: {
    // Headings that start with an emoji get GitHub's ids ("-goals"): valid HTML5 ids (no
    // spaces), and what authors' existing links point at.
    "valid-id": ["error", { relaxed: true }],
    // Markdown table alignment is written by pulldown-cmark as style="text-align: ...", and
    // diagrams carry their own SVG styles: valid HTML, not the site's styling.
    "no-inline-style": "off",
    // Whitespace at the end of a line inside <pre> is the lesson's code, kept as written.
    "no-trailing-whitespace": "off",
    // Authors write <img ... /> in Markdown's raw HTML; both spellings are valid HTML5.
    "void-style": "off",
    // A multiple-choice question is checkboxes sharing one name, as radios do.
    "form-dup-name": ["error", { shared: ["radio", "checkbox", "button", "reset", "submit"] }],
    // Quizzes grade in the page with "Check" buttons: a static site has nowhere to submit
    // them to, and a submit button would reload the page (losing the answers) without JS.
    "wcag/h32": "off",
  },
};
