//! The bundled course's diagrams, exported as PNG, match the golden images in
//! `tests/golden/diagrams/` within a tolerance (anti-aliasing may differ between resvg builds;
//! a moved node, a lost label or a changed colour may not).
//!
//! After an intended change, regenerate the images and look at them before committing:
//! `COURSEBOOK_BLESS=1 cargo test --release --test golden_diagrams`.

mod common;
use common::run_in;
use std::path::{Path, PathBuf};

/// A pixel differs when one of its channels is off by more than this.
const CHANNEL_TOLERANCE: u8 = 64;
/// The share of pixels that may differ.
const PIXEL_TOLERANCE: f64 = 0.005;

struct Image {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

fn decode(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.line_size / info.width as usize;
    let rgba = buf[..info.buffer_size()]
        .chunks(channels)
        .flat_map(|p| match p.len() {
            4 => [p[0], p[1], p[2], p[3]],
            3 => [p[0], p[1], p[2], 255],
            2 => [p[0], p[0], p[0], p[1]],
            _ => [p[0], p[0], p[0], 255],
        })
        .collect();
    Image {
        width: info.width,
        height: info.height,
        rgba,
    }
}

/// The share of pixels that differ beyond the channel tolerance, or why the images cannot be
/// compared.
fn difference(actual: &Image, golden: &Image) -> Result<f64, String> {
    if (actual.width, actual.height) != (golden.width, golden.height) {
        return Err(format!(
            "size {}x{} instead of {}x{}",
            actual.width, actual.height, golden.width, golden.height
        ));
    }
    let differing = actual
        .rgba
        .chunks(4)
        .zip(golden.rgba.chunks(4))
        .filter(|(a, g)| {
            a.iter()
                .zip(*g)
                .any(|(a, g)| a.abs_diff(*g) > CHANNEL_TOLERANCE)
        })
        .count();
    Ok(differing as f64 / (actual.width as f64 * actual.height as f64))
}

fn export_bundled_diagrams(out: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_in(
        root,
        &[
            "diagrams",
            "--root",
            ".",
            "--png",
            out.to_str().unwrap(),
            "--dark",
        ],
    );
    run.assert_success();
    run.stdout.lines().map(PathBuf::from).collect()
}

#[test]
fn bundled_course_diagrams_match_their_golden_pngs() {
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/diagrams");
    let out = tempfile::tempdir().unwrap();
    let exported = export_bundled_diagrams(out.path());
    assert!(
        exported.len() >= 12,
        "6 diagrams in two themes: {exported:?}"
    );

    if std::env::var_os("COURSEBOOK_BLESS").is_some() {
        std::fs::create_dir_all(&golden_dir).unwrap();
        for old in std::fs::read_dir(&golden_dir).unwrap() {
            std::fs::remove_file(old.unwrap().path()).unwrap();
        }
        for png in &exported {
            std::fs::copy(png, golden_dir.join(png.file_name().unwrap())).unwrap();
        }
        eprintln!(
            "blessed {} golden PNGs in {}",
            exported.len(),
            golden_dir.display()
        );
        return;
    }

    let mut failures = Vec::new();
    for png in &exported {
        let name = png.file_name().unwrap().to_string_lossy().into_owned();
        let golden = golden_dir.join(&name);
        if !golden.exists() {
            failures.push(format!("{name}: no golden image (a new diagram? bless it)"));
            continue;
        }
        match difference(&decode(png), &decode(&golden)) {
            Ok(share) if share <= PIXEL_TOLERANCE => {}
            Ok(share) => failures.push(format!(
                "{name}: {:.2}% of pixels differ (tolerance {:.2}%)",
                share * 100.0,
                PIXEL_TOLERANCE * 100.0
            )),
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    let exported_names: Vec<_> = exported.iter().map(|p| p.file_name().unwrap()).collect();
    for golden in std::fs::read_dir(&golden_dir).unwrap() {
        let name = golden.unwrap().file_name();
        if !exported_names.contains(&name.as_os_str()) {
            failures.push(format!(
                "{}: golden image of a diagram that no longer exists",
                name.to_string_lossy()
            ));
        }
    }
    if !failures.is_empty() {
        let kept = std::env::temp_dir().join("coursebook-golden-actual");
        let _ = std::fs::remove_dir_all(&kept);
        std::fs::create_dir_all(&kept).unwrap();
        for png in &exported {
            std::fs::copy(png, kept.join(png.file_name().unwrap())).unwrap();
        }
        panic!(
            "diagram images changed:\n  {}\nThe new images are in {}. If the change is intended, \
             look at them, then run COURSEBOOK_BLESS=1 cargo test --release --test golden_diagrams",
            failures.join("\n  "),
            kept.display()
        );
    }
}

/// The comparison itself: it must catch a real change and forgive anti-aliasing.
#[test]
fn the_comparison_catches_a_moved_shape_and_forgives_faint_noise() {
    let blank = Image {
        width: 100,
        height: 100,
        rgba: vec![255; 100 * 100 * 4],
    };
    let mut noisy = Image {
        rgba: blank.rgba.clone(),
        ..blank
    };
    for px in noisy.rgba.chunks_mut(4).step_by(7) {
        px[0] = 255 - CHANNEL_TOLERANCE; // a faint difference everywhere
    }
    assert_eq!(difference(&noisy, &blank), Ok(0.0));
    let mut moved = Image {
        rgba: blank.rgba.clone(),
        ..blank
    };
    for px in moved.rgba.chunks_mut(4).take(100 * 10) {
        px.copy_from_slice(&[0, 0, 0, 255]); // a 10-pixel band drawn black
    }
    assert!(difference(&moved, &blank).unwrap() > PIXEL_TOLERANCE);
    let smaller = Image {
        width: 100,
        height: 99,
        rgba: vec![255; 100 * 99 * 4],
    };
    assert!(difference(&smaller, &blank).is_err());
}
