//! Diagram: renders ```mermaid fences to inline SVG at build time (transform stage).
//!
//! merman 0.9.3 (a parity-focused Rust port of Mermaid) does the parsing and layout, natively:
//! no mermaid.js in the page, no headless browser at build time. Every diagram is rendered
//! twice, with Mermaid's `default` and `dark` themes, and the theme's CSS shows the one that
//! matches the page. Text is measured with Liberation Sans, which is metric-compatible with
//! Arial, the first fallback of the font stack the SVG asks for, so labels fit their boxes.
//!
//! Renders are cached on disk (outside the course) keyed by everything that shapes the output.

use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::Duration;

use merman::svg::export::{NativeFontContext, NativeFontLimits, RasterOptions};
use merman::svg::{
    DeterministicTextMeasurer, MeasurementProfileId, RenderResourcePolicy, SvgRenderOptions,
    TextMeasurementPolicy, TextMeasurementProfile, TextMeasurementProfileIdentity, sanitize_svg_id,
};
use merman::{
    Engine, MermaidConfig, OperationControl, ParseOptions, PngRequest, RenderError, RenderOutput,
    RenderRequest, Renderer, SvgEnvironment, SvgRequest,
};

use crate::html::{escape_attr, escape_html};

mod compact;

/// What the SVG asks for; Liberation Sans (measured below) has Arial's metrics.
const FONT_FAMILY: &str = "\"Liberation Sans\", Arial, Helvetica, sans-serif";
pub(crate) static FONT_REGULAR: &[u8] =
    include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
pub(crate) static FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

/// Part of the cache key: a new renderer or new options must never reuse old SVGs.
const RENDER_KEY: &str = concat!("merman=0.9.3;coursebook=", env!("CARGO_PKG_VERSION"), ";v3");

/// A diagram that could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramError {
    pub message: String,
    /// 1-based line within the diagram source, when the renderer knows it.
    pub line: Option<usize>,
}

/// The HTML that replaces a mermaid fence: both theme renders, and the source behind a toggle,
/// which is also the diagram's accessible description.
pub fn render_block(source: &str, id: &str) -> Result<String, DiagramError> {
    let light = cached_svg(source, false, &format!("{id}-light"))?;
    let dark = cached_svg(source, true, &format!("{id}-dark"))?;
    let id = escape_attr(id);
    let kind = escape_attr(diagram_kind(source));
    Ok(format!(
        "<figure class=\"diagram\" data-kind=\"{kind}\">\
<div class=\"diagram-svg diagram-light\" role=\"img\" aria-label=\"{kind} diagram\" aria-describedby=\"{id}-src\">{light}</div>\
<div class=\"diagram-svg diagram-dark\" role=\"img\" aria-label=\"{kind} diagram\" aria-describedby=\"{id}-src\">{dark}</div>\
<details class=\"diagram-source\"><summary>View source</summary><pre class=\"code\" data-lang=\"mermaid\"><code id=\"{id}-src\">{}</code></pre></details>\
</figure>\n",
        escape_html(source)
    ))
}

/// The id of the `n`th diagram (from 1) of the page written to `output`: unique in the page,
/// and the file name `diagrams --png` gives it.
pub fn diagram_id(output: &str, n: usize) -> String {
    format!(
        "{}-diagram-{n}",
        output.trim_end_matches(".html").replace('/', "-")
    )
}

/// The diagram type named on the first meaningful line (`flowchart`, `sequenceDiagram`...).
pub fn diagram_kind(source: &str) -> &str {
    let mut in_front_matter = false;
    for line in source.lines().map(str::trim) {
        if line == "---" {
            in_front_matter = !in_front_matter;
            continue;
        }
        if in_front_matter || line.is_empty() || line.starts_with("%%") {
            continue;
        }
        return line.split_whitespace().next().unwrap_or("mermaid");
    }
    "mermaid"
}

fn cached_svg(source: &str, dark: bool, id: &str) -> Result<String, DiagramError> {
    let path = cache_path(source, dark, id);
    if let Some(path) = &path
        && let Ok(svg) = std::fs::read_to_string(path)
        && looks_complete(&svg)
    {
        return Ok(svg);
    }
    let svg = render_svg(source, dark, id)?;
    if let Some(path) = path {
        crate::cache::store(&path, svg.as_bytes());
    }
    Ok(svg)
}

/// A truncated or foreign cache file is never trusted: it is rendered again.
fn looks_complete(svg: &str) -> bool {
    svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>")
}

fn cache_path(source: &str, dark: bool, id: &str) -> Option<PathBuf> {
    crate::cache::file("diagrams", (RENDER_KEY, source, dark, id), "svg")
}

fn svg_request(id: &str) -> SvgRequest {
    SvgRequest {
        environment: SvgEnvironment::deterministic()
            .with_text_measurement_policy(measurement())
            .with_resource_policy(resource_policy()),
        options: SvgRenderOptions {
            diagram_id: Some(sanitize_svg_id(id)),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// merman's `constrained` policy (1 MiB of source, 16k nodes and edges, nesting 128) with
/// room for the layout work of a realistic 40-node flowchart with cross-subgraph edges (about
/// 130k units; `constrained` stops at 125k). A dense pathological graph is still refused
/// within a fraction of a second instead of laying out for minutes.
fn resource_policy() -> RenderResourcePolicy {
    let policy = RenderResourcePolicy::constrained();
    policy
        .with_override("max_layout_work_units", 600_000)
        .unwrap_or(policy)
}

/// A backstop only: the renderer checks its deadline at coarse points.
fn control() -> OperationControl {
    OperationControl::new().with_deadline(Duration::from_secs(10))
}

fn error(source: &str, e: RenderError) -> DiagramError {
    let line = match &e {
        RenderError::Parse(d) => d
            .terminal_diagnostic_details()
            .span
            .map(|s| source[..s.start.min(source.len())].matches('\n').count() + 1),
        _ => None,
    };
    DiagramError {
        message: e.to_string(),
        line,
    }
}

fn render_svg(source: &str, dark: bool, id: &str) -> Result<String, DiagramError> {
    let source = dedent_quoted_labels(source);
    let output = renderer(dark)
        .render(RenderRequest::svg(&source, control(), svg_request(id)))
        .map_err(|e| error(&source, e))?;
    let svg = match output {
        RenderOutput::Svg(Some(svg)) => svg.into_parts().0,
        _ => String::new(),
    };
    if !has_content(&svg) {
        return Err(DiagramError {
            message: "the diagram rendered as an empty picture".into(),
            line: None,
        });
    }
    Ok(compact::compact(&svg))
}

/// A PNG of the diagram at twice its size, on an opaque background, for slides and cards.
/// merman draws it with resvg from an SVG variant whose labels are plain `<text>`.
pub fn render_png(source: &str, dark: bool, id: &str) -> Result<Vec<u8>, DiagramError> {
    let source = dedent_quoted_labels(source);
    let options = RasterOptions::default()
        .with_scale(2.0)
        .with_background(if dark { "#1e1e1e" } else { "white" });
    let mut svg = svg_request(id);
    // Paint (and measure) with the bundled fonts only, never the machine's: the same PNG
    // everywhere. merman requires one font context for both.
    if let Some(fonts) = bundled_fonts() {
        svg.environment = svg
            .environment
            .with_native_font_context(fonts)
            .map_err(|e| DiagramError {
                message: e.to_string(),
                line: None,
            })?;
    }
    let request = PngRequest { svg, options };
    match renderer(dark)
        .render(RenderRequest::png(&source, control(), request))
        .map_err(|e| error(&source, e))?
    {
        RenderOutput::Png(Some(png)) if !png.bytes.is_empty() => Ok(png.bytes),
        _ => Err(DiagramError {
            message: "the diagram rendered as an empty picture".into(),
            line: None,
        }),
    }
}

/// Liberation Sans regular and bold, from the binary, as a font context for painting.
fn bundled_fonts() -> Option<NativeFontContext> {
    static FONTS: LazyLock<Option<NativeFontContext>> = LazyLock::new(|| {
        NativeFontContext::from_font_bytes(
            [FONT_REGULAR.to_vec(), FONT_BOLD.to_vec()],
            NativeFontLimits::default(),
            &OperationControl::new(),
        )
        .ok()
    });
    FONTS.clone()
}

/// An SVG with nothing drawn in it is a failure, never a silent blank.
fn has_content(svg: &str) -> bool {
    [
        "<path",
        "<rect",
        "<text",
        "<foreignObject",
        "<circle",
        "<polygon",
        "<line",
    ]
    .iter()
    .any(|tag| svg.contains(tag))
}

fn measurement() -> TextMeasurementPolicy {
    static POLICY: LazyLock<Option<TextMeasurementPolicy>> = LazyLock::new(|| {
        let regular = ttf_parser::Face::parse(FONT_REGULAR, 0).ok()?;
        let bold = ttf_parser::Face::parse(FONT_BOLD, 0).ok()?;
        let measurer =
            DeterministicTextMeasurer::default().with_width_callback(move |text, style| {
                let is_bold = style.font_weight.as_deref().is_some_and(|w| {
                    w.eq_ignore_ascii_case("bold") || w.parse::<u32>().is_ok_and(|n| n >= 600)
                });
                let face = if is_bold { &bold } else { &regular };
                let em = f64::from(face.units_per_em());
                let width: f64 = text
                    .chars()
                    .filter(|c| *c != '\u{ad}')
                    .map(|c| {
                        // Glyphs the font lacks (CJK, emoji) are about an em wide.
                        face.glyph_index(c)
                            .and_then(|g| face.glyph_hor_advance(g))
                            .map_or(1.0, |a| f64::from(a) / em)
                    })
                    .sum();
                width * style.font_size.max(1.0)
            });
        let id = TextMeasurementProfileIdentity::new(
            MeasurementProfileId::new("coursebook.liberation-sans").ok()?,
            "1".to_string(),
        )
        .ok()?;
        Some(TextMeasurementPolicy::uniform(TextMeasurementProfile::new(
            id, measurer,
        )))
    });
    POLICY.clone().unwrap_or_default()
}

fn renderer(dark: bool) -> &'static Renderer {
    fn build(theme: &str) -> Renderer {
        let mut variables = serde_json::json!({ "fontFamily": FONT_FAMILY });
        if theme == "dark" {
            // Mermaid's dark edge labels are #ccc on #585858 (4.4:1, under WCAG AA's 4.5).
            variables["edgeLabelBackground"] = "#3a3a3a".into();
        }
        let site = MermaidConfig::from_value(serde_json::json!({
            "theme": theme,
            "fontFamily": FONT_FAMILY,
            "themeVariables": variables,
        }));
        Renderer::new()
            .with_engine(Engine::new().with_site_config(site))
            .with_parse_options(ParseOptions::strict())
    }
    static LIGHT: LazyLock<Renderer> = LazyLock::new(|| build("default"));
    static DARK: LazyLock<Renderer> = LazyLock::new(|| build("dark"));
    if dark { &DARK } else { &LIGHT }
}

/// Authors indent the continuation lines of multi-line `"..."` labels (as in the seeds);
/// mermaid.js collapses that indentation, merman keeps it, so it is removed here. Only for
/// flowcharts: in mindmaps indentation is structure. Line numbers are unchanged.
pub fn dedent_quoted_labels(source: &str) -> String {
    if !matches!(diagram_kind(source), "flowchart" | "graph") {
        return source.to_string();
    }
    let mut out = String::with_capacity(source.len());
    let (mut quoted, mut line_start) = (false, false);
    for c in source.chars() {
        if quoted && line_start && (c == ' ' || c == '\t') {
            continue;
        }
        line_start = quoted && c == '\n';
        if c == '"' {
            quoted = !quoted;
        }
        out.push(c);
    }
    out
}
