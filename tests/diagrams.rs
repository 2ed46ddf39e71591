//! Mermaid diagrams become inline SVG at build time: every diagram type, the seeds' own
//! flowcharts, light and dark renders, unique ids per diagram, and errors at the right line.

mod common;
use common::{Course, Page, seeds_dir, text};

/// One small diagram of each type, with the label texts that must appear in the SVG.
const TYPES: &[(&str, &str, &[&str])] = &[
    (
        "flowchart",
        "flowchart LR\n  subgraph outer[Host]\n    subgraph inner[Engine]\n      A[(Volume)] -->|mounts| B([Container])\n    end\n  end\n  B -.-> C{Healthy?}\n  C ==>|\"yes\"| D>Serve]\n  C --- E((Retry))\n  classDef hot fill:#f96\n  class D hot\n  style E stroke:#333\n  linkStyle 0 stroke:#f00\n",
        &[
            "Host",
            "Engine",
            "Volume",
            "mounts",
            "Container",
            "Healthy?",
            "yes",
            "Serve",
            "Retry",
        ],
    ),
    (
        "flowchart-bt",
        "graph BT\n  Base --> App\n",
        &["Base", "App"],
    ),
    (
        "flowchart-rl",
        "flowchart RL\n  Left --> Right\n",
        &["Left", "Right"],
    ),
    (
        "flowchart-tb",
        "flowchart TB\n  Top --> Bottom\n",
        &["Top", "Bottom"],
    ),
    (
        "sequence",
        "sequenceDiagram\n  participant CLI\n  participant Daemon\n  CLI->>Daemon: POST /containers/create\n  Daemon-->>CLI: 201 Created\n",
        &["CLI", "Daemon", "POST /containers/create", "201 Created"],
    ),
    (
        "state",
        "stateDiagram-v2\n  [*] --> Created\n  Created --> Running: start\n  Running --> Exited: stop\n  Exited --> [*]\n",
        &["Created", "Running", "Exited", "start", "stop"],
    ),
    (
        "class",
        "classDiagram\n  class Image {\n    +String tag\n    +run() Container\n  }\n  Image <|-- BaseImage\n",
        &["Image", "BaseImage", "tag"],
    ),
    (
        "er",
        "erDiagram\n  SERVICE ||--o{ CONTAINER : runs\n  CONTAINER }o--|| VOLUME : mounts\n",
        &["SERVICE", "CONTAINER", "VOLUME", "runs", "mounts"],
    ),
    (
        "gantt",
        "gantt\n  title Release\n  dateFormat YYYY-MM-DD\n  section Build\n  Compile :a1, 2024-01-01, 3d\n  Test :after a1, 2d\n",
        &["Release", "Build", "Compile", "Test"],
    ),
    (
        "pie",
        "pie title Image size\n  \"base\" : 70\n  \"app\" : 30\n",
        &["Image size", "base", "app"],
    ),
    (
        "mindmap",
        "mindmap\n  root((Docker))\n    Images\n    Containers\n",
        &["Docker", "Images", "Containers"],
    ),
    (
        "gitgraph",
        "gitGraph\n  commit id: \"init\"\n  branch feature\n  commit id: \"add-dockerfile\"\n  checkout main\n  merge feature\n",
        &["init", "add-dockerfile"],
    ),
    (
        "journey",
        "journey\n  title First deploy\n  section Local\n    Build image: 5: Dev\n    Run tests: 3: Dev\n",
        &["First deploy", "Local", "Build image", "Run tests"],
    ),
    (
        "timeline",
        "timeline\n  title Containers\n  2008 : LXC\n  2013 : Docker\n",
        &["Containers", "2008", "LXC", "2013", "Docker"],
    ),
];

fn course_with(diagrams: &[&str]) -> Course {
    let mut body = String::from("# Diagrams\n\n");
    for d in diagrams {
        body.push_str(&format!("```mermaid\n{d}```\n\nText between.\n\n"));
    }
    Course::new()
        .file("book.toml", "[book]\ntitle = \"T\"\n")
        .lesson("01-m/01-d.md", body)
}

fn build_ok(course: &Course) -> Page {
    let run = course.build();
    run.assert_success().assert_no_warnings();
    course.page("m/d.html")
}

#[test]
fn every_diagram_type_renders_light_and_dark_svg_with_all_labels() {
    for (name, source, labels) in TYPES {
        let course = course_with(&[source]);
        let page = build_ok(&course);
        for variant in ["light", "dark"] {
            let svgs = page.select(&format!("figure.diagram .diagram-{variant} svg"));
            assert_eq!(svgs.len(), 1, "{name}: one {variant} svg");
            let content = text(&svgs[0]);
            for label in *labels {
                assert!(
                    content.contains(label),
                    "{name} ({variant}) lacks label {label:?}: {content}"
                );
            }
        }
        let source_code = page.one("figure.diagram details.diagram-source code");
        assert!(
            text(&source_code).contains(source.lines().next().unwrap().trim()),
            "{name}: source kept"
        );
        let described = page.attrs("figure.diagram [role=img]", "aria-describedby");
        assert_eq!(described.len(), 2, "{name}");
        assert!(
            described
                .iter()
                .all(|id| id == source_code.value().attr("id").unwrap())
        );
        assert!(
            page.select(".prose pre[data-lang=mermaid] > code:not([id])")
                .is_empty(),
            "{name} left as code"
        );
    }
}

#[test]
fn seed_flowcharts_render_with_their_multi_line_labels() {
    let Some(seeds) = seeds_dir() else {
        eprintln!("skipped: ../shared/seeds is not present beside the repository");
        return;
    };
    let mut diagrams = Vec::new();
    for entry in std::fs::read_dir(seeds).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("```mermaid\n") {
            let body = &rest[start + 11..];
            let end = body.find("\n```").unwrap();
            diagrams.push(body[..=end].to_string());
            rest = &body[end..];
        }
    }
    assert!(diagrams.len() >= 2, "the seeds open with flowcharts");
    for source in diagrams {
        let course = course_with(&[&source]);
        let page = build_ok(&course);
        let svg = text(&page.one("figure.diagram .diagram-light svg"));
        // Every quoted label's words appear, one line break apart at most.
        for label in source.split('"').skip(1).step_by(2) {
            for word in label
                .split_whitespace()
                .filter(|w| w.chars().all(char::is_alphanumeric))
            {
                assert!(svg.contains(word), "label word {word:?} missing from {svg}");
            }
        }
    }
}

#[test]
fn two_diagrams_on_a_page_do_not_share_ids() {
    let course = course_with(&["flowchart LR\n  A --> B\n", "flowchart LR\n  A --> B\n"]);
    let page = build_ok(&course);
    let ids = page.attrs("[id]", "id");
    let mut seen = std::collections::HashSet::new();
    for id in &ids {
        assert!(seen.insert(id), "duplicate id {id} on the page");
    }
    let styles = page.texts("figure.diagram svg style");
    assert_eq!(styles.len(), 4, "each render keeps its own scoped style");
    assert_ne!(styles[0], styles[2], "styles are scoped per diagram");
}

#[test]
fn malformed_diagram_is_an_error_at_the_offending_line() {
    let course = Course::new().lesson(
        "01-m/01-d.md",
        "# D\n\nIntro.\n\n```mermaid\nflowchart TD\n  A --> B\n  B --> C{oops\n```\n",
    );
    let run = course.build();
    run.assert_code(1);
    insta::assert_snapshot!(run.diagnostics());
    assert!(!course.exists("public"));
}

#[test]
fn pathological_diagram_is_refused_with_a_clear_error() {
    let mut source = String::from("flowchart LR\n");
    for i in 0..300 {
        for j in 0..10 {
            source.push_str(&format!("  n{i} --> n{}\n", (i * 7 + j * 31) % 300));
        }
    }
    let course = course_with(&[&source]);
    let run = course.build();
    run.assert_code(1);
    run.assert_stderr_contains("mermaid diagram failed: resource limit");
    run.assert_stderr_contains("split it into smaller diagrams");
}

#[test]
fn renders_are_cached_and_a_corrupt_cache_file_is_never_trusted() {
    let cache = tempfile::tempdir().unwrap();
    let course = course_with(&["flowchart LR\n  Cached --> Diagram\n"]);
    let build = || {
        common::run_with_cache(course.path(), &["build", "--root", "."], cache.path())
            .assert_success();
        course.read("public/m/d.html")
    };
    let first = build();
    let files: Vec<_> = walkdir::WalkDir::new(cache.path())
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert_eq!(files.len(), 2, "one cached render per theme");
    // Truncate every cache file: the next build must notice and render again.
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        std::fs::write(f, &text[..text.len() / 2]).unwrap();
    }
    assert_eq!(build(), first);
    for f in &files {
        assert!(
            std::fs::read_to_string(f)
                .unwrap()
                .trim_end()
                .ends_with("</svg>"),
            "cache repaired"
        );
    }
}

/// Share of pixels that differ from the top-left (background) pixel.
fn ink(png_path: &std::path::Path) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.line_size / info.width as usize;
    let pixels: Vec<&[u8]> = bytes.chunks(channels).collect();
    let background = pixels[0];
    let differing = pixels.iter().filter(|p| *p != &background).count();
    (
        info.width,
        info.height,
        differing as f64 / pixels.len() as f64,
    )
}

#[test]
fn diagrams_export_as_non_blank_png_at_twice_the_size() {
    let course = course_with(&[
        "flowchart LR\n  Build --> Ship --> Run\n",
        "sequenceDiagram\n  A->>B: hello\n",
    ]);
    let run = course.run(&["diagrams", "--root", ".", "--png", "pngs", "--dark"]);
    run.assert_success();
    let names: Vec<String> = run
        .stdout
        .lines()
        .map(|l| l.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "m-d-diagram-1-dark.png",
            "m-d-diagram-1.png",
            "m-d-diagram-2-dark.png",
            "m-d-diagram-2.png"
        ]
    );
    for name in &names {
        let (w, h, ink) = ink(&course.path().join("pngs").join(name));
        assert!(w > 100 && h > 50, "{name}: {w}x{h}");
        assert!(ink > 0.01, "{name} is blank ({ink:.4} of pixels drawn)");
    }
    // The SVG in the page is half the PNG's size.
    course.build().assert_success();
    let page = course.page("m/d.html");
    let svg = page.select("figure.diagram .diagram-light svg")[0];
    let view_box: Vec<f64> = svg
        .value()
        .attr("viewBox")
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    let (w, _, _) = ink(&course.path().join("pngs/m-d-diagram-1.png"));
    assert!(
        (f64::from(w) - 2.0 * view_box[2]).abs() <= 2.0,
        "png {w} px vs svg {} units",
        view_box[2]
    );
}

#[test]
fn export_reports_broken_diagrams() {
    let course = course_with(&["flowchart LR\n  A --> [\n"]);
    let run = course.run(&["diagrams", "--root", ".", "--png", "pngs"]);
    run.assert_code(1);
    run.assert_stderr_contains("mermaid diagram `m-d-diagram-1` failed");
}

#[test]
fn a_forty_node_flowchart_with_cross_subgraph_edges_is_within_limits() {
    // Regression: merman's `constrained` policy refused this realistic diagram by 1.6%.
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/diagrams/flowchart-40-linked.mmd"),
    )
    .unwrap();
    let course = course_with(&[&source]);
    let page = build_ok(&course);
    assert_eq!(page.select("figure.diagram .diagram-light svg").len(), 1);
}

/// Width in px of `text` at 16 px (Mermaid's default size) in one of the bundled Liberation Sans
/// faces, which have the metrics of Arial, the browser's fallback.
fn width_in(font: &[u8], text: &str) -> f64 {
    let face = ttf_parser::Face::parse(font, 0).unwrap();
    let em = f64::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(em, f64::from)
                / em
        })
        .sum::<f64>()
        * 16.0
}

const REGULAR: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

#[test]
fn node_labels_fit_inside_their_boxes() {
    // Every flowchart box is at least as wide as its label set in the real font.
    let labels = [
        "Animal",
        "Running",
        "CUSTOMER",
        "Python Code",
        "Writable layer",
        "WWWWWWW",
        "iiiiiiiiii",
    ];
    let mut source = String::from("flowchart LR\n");
    for (i, label) in labels.iter().enumerate() {
        source.push_str(&format!("  n{i}[\"{label}\"]\n"));
    }
    let course = course_with(&[&source]);
    let page = build_ok(&course);
    let nodes = page.select("figure.diagram .diagram-light g.node");
    assert_eq!(nodes.len(), labels.len());
    for node in nodes {
        let label = text(&node);
        let rect = node
            .children()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "rect")
            .expect("a box");
        let width: f64 = rect.value().attr("width").unwrap().parse().unwrap();
        let needed = width_in(REGULAR, &label);
        assert!(
            needed <= width,
            "label {label:?} needs {needed:.1} px, box is {width} px"
        );
    }
}

#[test]
fn class_titles_get_the_width_the_real_font_needs() {
    // merman's built-in width estimate reserved too little room for these titles, and browsers
    // clipped them ("Anima", "Runnir", "CUSTOME"); boxes must be sized with the real font.
    let titles = ["Animal", "Running", "CUSTOMER", "WWWWWWW"];
    let mut source = String::from("classDiagram\n");
    for t in titles {
        source.push_str(&format!("  class {t}\n"));
    }
    let course = course_with(&[&source]);
    let page = build_ok(&course);
    let groups = page.select("figure.diagram .diagram-light g.node g.label-group");
    assert_eq!(groups.len(), titles.len());
    for group in groups {
        let title = text(&group);
        // The label group is centred: `translate(-w/2, y)` gives the width reserved for it.
        let transform = group.value().attr("transform").unwrap();
        let x: f64 = transform
            .trim_start_matches("translate(")
            .split(',')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let reserved = -2.0 * x;
        let needed = width_in(BOLD, &title);
        assert!(
            reserved + 0.5 >= needed,
            "{title:?} needs {needed:.1} px, {reserved:.1} px reserved"
        );
    }
}
