//! Shortens the geometry of a rendered SVG: the numbers in `d` and `points` attributes are
//! rounded to hundredths of a pixel.
//!
//! Mermaid (and merman, faithfully) prints every coordinate with full `f64` precision, and
//! draws shapes such as cylinders as hundreds of short curves: a 40-node flowchart is a 450 KB
//! SVG, three quarters of it digits no screen can show. Only the digits change; the path
//! commands and separators are kept exactly as written, so the picture is the same.

/// The SVG with every number in its `d="..."` and `points="..."` attributes rounded to two
/// decimals (`62.80885564607588` becomes `62.81`, `-0.001` becomes `0`).
pub fn compact(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() / 2);
    let mut rest = svg;
    while let Some((start, name_len)) = next_geometry_attribute(rest) {
        let value_start = start + name_len;
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        out.push_str(&rest[..value_start]);
        round_numbers(&rest[value_start..value_start + value_len], &mut out);
        rest = &rest[value_start + value_len..];
    }
    out.push_str(rest);
    out
}

/// Where the next ` d="` or ` points="` begins in `s`, and the length of that opening.
fn next_geometry_attribute(s: &str) -> Option<(usize, usize)> {
    let d = s.find(" d=\"").map(|i| (i, 4));
    let points = s.find(" points=\"").map(|i| (i, 9));
    match (d, points) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn round_numbers(value: &str, out: &mut String) {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let len = number_len(&bytes[i..]);
        if len == 0 {
            // Not a number: a command letter, a separator. Multi-byte characters never
            // occur in geometry, but are copied whole if they do.
            let ch_len = value[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&value[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        let token = &value[i..i + len];
        match token.parse::<f64>() {
            Ok(n) if token.contains(['.', 'e', 'E']) && n.is_finite() => push_rounded(n, out),
            _ => out.push_str(token),
        }
        i += len;
    }
}

/// The length of the SVG number at the start of `b` (`-12.5`, `.5`, `1e-3`), or 0.
fn number_len(b: &[u8]) -> usize {
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        let mut j = frac_start;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > frac_start || digits > 0 {
            digits += j - frac_start;
            i = j;
        }
    }
    if digits == 0 {
        return 0;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1 + usize::from(matches!(b.get(i + 1), Some(b'-' | b'+')));
        let exp_start = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    i
}

fn push_rounded(n: f64, out: &mut String) {
    use std::fmt::Write;
    let hundredths = (n * 100.0).round();
    if hundredths == 0.0 {
        out.push('0');
        return;
    }
    if hundredths.abs() >= 1e15 {
        let _ = write!(out, "{n}");
        return;
    }
    let hundredths = hundredths as i64;
    if hundredths < 0 {
        out.push('-');
    }
    let abs = hundredths.unsigned_abs();
    let _ = write!(out, "{}", abs / 100);
    match abs % 100 {
        0 => {}
        f if f % 10 == 0 => {
            let _ = write!(out, ".{}", f / 10);
        }
        f => {
            let _ = write!(out, ".{f:02}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn rounds_path_and_polygon_numbers_only() {
        let svg = r#"<svg width="100.123456"><path d="M-62 -24 C-18.751603054279144 -24, 24.496793891441712 -24.0001, 62 -24" stroke-width="1.333333"/><polygon points="0.004,5.5 10.106,-0.004 1e-3,2.5e1"/></svg>"#;
        assert_eq!(
            compact(svg),
            r#"<svg width="100.123456"><path d="M-62 -24 C-18.75 -24, 24.5 -24, 62 -24" stroke-width="1.333333"/><polygon points="0,5.5 10.11,0 0,25"/></svg>"#
        );
    }

    #[test]
    fn leaves_svgs_without_geometry_alone() {
        let svg = r#"<svg><text x="1.23456">d="1.23456"</text></svg>"#;
        assert_eq!(compact(svg), svg);
    }
}
