//! Self-checks: GFM task lists, and tables with a `✓` / `Done` column, become checklists the
//! learner ticks. Each box gets a key that is stable across builds (a hash of the page and the
//! item's text), which the theme's `quiz.js` saves in the browser.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::plain_text;
use crate::html::escape_attr;
use crate::slug::{Slugger, github_slug, stable_hash};

/// Column headers that make a table tickable.
const CHECK_HEADERS: [&str; 9] = ["✓", "✔", "☐", "☑", "✅", "done", "check", "done?", "✓?"];

#[derive(Default)]
pub struct Checklists {
    page: String,
    slugger: Slugger,
    /// Per open list item: where its task marker's placeholder is, if it has one.
    items: Vec<Option<(usize, bool)>>,
    table: Option<Table>,
    /// Keys of every box on the page, in order.
    pub keys: Vec<String>,
}

struct Table {
    in_head: bool,
    column: usize,
    cell_start: usize,
    check_column: Option<usize>,
    row_start: usize,
    placeholder: Option<usize>,
    skipping: bool,
}

impl Checklists {
    pub fn new(page_output: &str) -> Self {
        Checklists {
            page: page_output.trim_end_matches(".html").to_string(),
            ..Default::default()
        }
    }

    /// Takes the events it rewrites; returns the others untouched.
    pub fn on_event<'e>(
        &mut self,
        event: Event<'e>,
        events: &mut Vec<Event<'e>>,
    ) -> Option<Event<'e>> {
        if let Some(table) = &mut self.table
            && table.skipping
        {
            if matches!(event, Event::End(TagEnd::TableCell)) {
                table.skipping = false;
                table.column += 1;
                return Some(event);
            }
            return None;
        }
        match &event {
            Event::Start(Tag::Item) => self.items.push(None),
            Event::TaskListMarker(checked) => {
                if let Some(top) = self.items.last_mut() {
                    *top = Some((events.len(), *checked));
                    events.push(Event::Html("".into()));
                    return None;
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(Some((at, checked))) = self.items.pop() {
                    let end = events[at..]
                        .iter()
                        .position(|e| matches!(e, Event::Start(Tag::List(_))))
                        .map_or(events.len(), |i| at + i);
                    let text = plain_text(&events[at + 1..end]);
                    events[at] = Event::Html(self.checkbox(&text, checked, "").into());
                }
            }
            Event::Start(Tag::Table(_)) => {
                self.table = Some(Table {
                    in_head: false,
                    column: 0,
                    cell_start: 0,
                    check_column: None,
                    row_start: 0,
                    placeholder: None,
                    skipping: false,
                });
            }
            Event::End(TagEnd::Table) => self.table = None,
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.column = 0;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = &mut self.table {
                    t.column = 0;
                    t.row_start = events.len();
                    t.placeholder = None;
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(t) = &mut self.table {
                    t.cell_start = events.len() + 1;
                    if !t.in_head && t.check_column == Some(t.column) {
                        events.push(event);
                        t.placeholder = Some(events.len());
                        events.push(Event::Html("".into()));
                        t.skipping = true;
                        return None;
                    }
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = &mut self.table {
                    if t.in_head && t.check_column.is_none() {
                        let header = plain_text(&events[t.cell_start.min(events.len())..]);
                        let header = header.trim().to_lowercase();
                        if CHECK_HEADERS.contains(&header.as_str()) {
                            t.check_column = Some(t.column);
                        }
                    }
                    t.column += 1;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut self.table
                    && let Some(at) = t.placeholder.take()
                {
                    let text = plain_text(&events[t.row_start..]);
                    let html = self.checkbox(&text, false, " check-cell");
                    events[at] = Event::Html(html.into());
                }
            }
            _ => {}
        }
        Some(event)
    }

    fn checkbox(&mut self, text: &str, checked: bool, class: &str) -> String {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Short and stable: the same page and text give the same key on every build.
        let hash = format!(
            "{:08x}",
            stable_hash(&format!("{}#{}", self.page, github_slug(&text)))
        );
        let key = format!("c:{}", self.slugger.unique(&hash));
        let html = format!(
            "<input type=\"checkbox\" class=\"check{class}\" data-check=\"{}\" aria-label=\"{}\"{}>",
            escape_attr(&key),
            escape_attr(&text),
            if checked { " checked" } else { "" }
        );
        self.keys.push(key);
        html
    }
}
