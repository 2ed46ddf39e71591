//! Quiz: ```quiz blocks (TOML) become forms that grade in the page (transform stage).
//!
//! [`check`] validates the author's TOML into a [`check::Quiz`] (every mistake with the span of
//! the key at fault); [`html`] renders it so that it works without JavaScript (native inputs,
//! answers in `<details>`) and carries an answer key for the theme's `quiz.js`, which grades
//! instantly and saves progress in the browser.

pub mod check;
mod html;
mod model;

pub use check::{Problem, Quiz};
pub use html::render;
