//! coursebook: a static site generator for courses whose code blocks are checked against reality.
//!
//! The pipeline (see [`pipeline::build`]) flows one way:
//! `book.toml` + `content/` → [`config`] + [`content`] (load) → [`material`] (Material for
//! MkDocs syntax rewritten) and [`markdown`] with [`highlight`],
//! [`links`], [`slug`] (parse and transform) → [`render`] with [`theme`] → [`output`] (write).
//! [`search`] indexes the rendered pages. [`diagnostics`] carries author mistakes through every stage; [`encoding`] finds mis-decoded text.

// A `Diagnostic` is ~140 bytes and only ever on the error path; boxing it buys nothing.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diagram;
pub mod encoding;
pub mod export;
pub mod fix_encoding;
pub mod frontmatter;
pub mod highlight;
pub mod html;
pub mod import;
pub mod links;
pub mod markdown;
pub mod material;
pub mod mdbook;
pub mod mkdocs;
pub mod outline;
pub mod output;
pub mod pipeline;
pub mod print;
pub mod quiz;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod share;
pub mod site;
pub mod slug;
pub mod theme;
pub mod verify;
