//! A text-measurement model for the canvas, so that the layout can size nodes and edge labels
//! natively (no browser to ask): a per-character advance-width table for the node names' font
//! and one width for the labels' monospace, and word wrapping.
//!
//! The model must never under-measure, or a name would overflow its node. The stylesheet asks
//! for `Inter, system-ui, …, "DejaVu Sans"` at 600 for names (`.node-name`, 13 px) and for a
//! monospace stack at 11 px for edge labels (`.edge-label`). The table holds, for each printable
//! ASCII character, the widest advance among DejaVu Sans Bold and Liberation Sans Bold (the
//! fonts a Linux browser falls back to, and wider than Inter, Segoe UI, Roboto or San Francisco
//! at the same weight), in thousandths of an em, read from the fonts' `hmtx` tables; any other
//! character counts as wide (1.6 em covers the Latin supplements and CJK); a small margin is
//! added on top.

/// Advance widths of ' '..='~' in 1/1000 em: max(DejaVu Sans Bold, Liberation Sans Bold).
const BOLD_SANS: [u16; 95] = [
    349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, //
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611, //
    1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 557, 775, 638, 996, 837, 851, //
    733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 366, 458, 838, 557, //
    500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, //
    716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838,
];
/// Anything outside the table (accented letters, symbols, CJK, emoji): as wide as the widest.
const WIDE: f64 = 1.6;
/// Monospace advance (DejaVu Sans Mono and Liberation Mono: 0.602 and 0.600 em).
const MONO: f64 = 0.61;
/// Kept in hand for hinting, rounding and subpixel positioning.
const MARGIN: f64 = 1.04;

/// A font the canvas draws text in, at its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Font {
    /// A proportional bold sans (node names) at `px`.
    BoldSans(f64),
    /// A monospace (edge labels, summaries) at `px`.
    Mono(f64),
}

/// The font of a node's name (`.node-name`).
pub const NAME_FONT: Font = Font::BoldSans(13.0);
/// The line height of a node's name, in pixels (`.node-name`'s `line-height`).
pub const NAME_LINE: f64 = 16.0;
/// The font of an edge label (`.edge-label`).
pub const LABEL_FONT: Font = Font::Mono(11.0);

impl Font {
    fn px(self) -> f64 {
        match self {
            Font::BoldSans(px) | Font::Mono(px) => px,
        }
    }
    /// The advance of one character, in em.
    fn em(self, c: char) -> f64 {
        match self {
            Font::Mono(_) if (c as u32) < 0x1100 => MONO,
            Font::Mono(_) => 2.0 * MONO,
            Font::BoldSans(_) => match c {
                ' '..='~' => BOLD_SANS[c as usize - 32] as f64 / 1000.0,
                _ => WIDE,
            },
        }
    }
    /// The width of `text` on one line, in pixels (never less than the browser draws).
    pub fn width(self, text: &str) -> f64 {
        text.chars().map(|c| self.em(c)).sum::<f64>() * self.px() * MARGIN
    }
}

/// Whether a word may break between `before` and `after` when it is wider than a line: after
/// `-`, `_`, `.`, `/` or `:`, and where a capital follows a small letter or a digit
/// (`ListAggregateDiscovered|Resources-|Pagination`). A name broken there is read whole.
pub fn soft_break(before: char, after: char) -> bool {
    matches!(before, '-' | '_' | '.' | '/' | ':') || ((before.is_lowercase() || before.is_ascii_digit()) && after.is_uppercase())
}

/// Whether `lines` draw `name` whole: read in order, each line break falls on a space of the
/// name or inside a word at a [`soft_break`], and nothing is left out or added.
pub fn holds_whole(name: &str, lines: &[String]) -> bool {
    let want: Vec<char> = name.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        let line: Vec<char> = line.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
        if i > 0 && at < want.len() {
            if want[at] == ' ' {
                at += 1;
            } else if !(at > 0 && soft_break(want[at - 1], want[at])) {
                return false;
            }
        }
        if want.get(at..at + line.len()) != Some(line.as_slice()) {
            return false;
        }
        at += line.len();
    }
    at == want.len()
}

/// `text` broken into lines no wider than `max` pixels in `font`: at spaces, and inside a word
/// only when the word alone is wider than a line: at its last [`soft_break`] that fits, else
/// (no such place) where the line is full. Never empty (an empty text is one empty line).
pub fn wrap(font: Font, text: &str, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if font.width(&joined) <= max {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word starts a line; cut it while it is too long for one.
        let mut rest = word;
        while font.width(rest) > max {
            let mut cut = 0;
            let mut soft = 0;
            let mut w = 0.0;
            let mut previous = None;
            for (i, c) in rest.char_indices() {
                w += font.em(c) * font.px() * MARGIN;
                if previous.is_some_and(|p| soft_break(p, c)) && w - font.em(c) * font.px() * MARGIN <= max {
                    soft = i;
                }
                if w > max && i > 0 {
                    break;
                }
                cut = i + c.len_utf8();
                previous = Some(c);
            }
            // The last soft break that fits, where the word has one.
            let cut = if soft > 0 { soft } else { cut };
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        line = rest.to_string();
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The widest of `lines` in `font`.
pub fn widest(font: Font, lines: &[String]) -> f64 {
    lines.iter().map(|l| font.width(l)).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_add_up_per_character_and_unknown_characters_count_wide() {
        let f = Font::BoldSans(10.0);
        assert!((f.width("ii") - 2.0 * f.width("i")).abs() < 1e-9);
        assert!(f.width("W") > f.width("i") * 2.5);
        assert!(f.width("é") >= f.width("W"), "outside the table counts as wide");
        assert_eq!(f.width(""), 0.0);
        // 13 px DejaVu Sans Bold draws "Create" in 48.6 px; the model says a little more.
        let create = NAME_FONT.width("Create");
        assert!((48.6..52.0).contains(&create), "{create}");
        assert!((LABEL_FONT.width("States.ALL") - 10.0 * 0.61 * 11.0 * MARGIN).abs() < 1e-9);
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_only_overlong_words() {
        let f = Font::Mono(10.0); // 6.344 px a character
        let max = 10.5 * 6.344;
        assert_eq!(wrap(f, "Create New Organizational Unit", max), ["Create New", "Organizati", "onal Unit"]);
        assert_eq!(wrap(f, "short", max), ["short"]);
        assert_eq!(wrap(f, "", max), [""]);
        assert_eq!(wrap(f, "  a   b  ", max), ["a b"]);
        for text in ["Create New Organizational Unit For The Account Vending Machine", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "a bb ccc dddd eeeee"] {
            let lines = wrap(f, text, max);
            assert!(lines.iter().all(|l| f.width(l) <= max), "{lines:?}");
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""), "nothing lost");
        }
        // A line narrower than one character still makes progress.
        assert_eq!(wrap(f, "abc", 1.0), ["a", "b", "c"]);
    }

    #[test]
    fn an_overlong_word_breaks_where_it_is_read_whole() {
        let f = Font::Mono(10.0); // 6.344 px a character
        let max = 20.5 * 6.344;
        let name = "ListAggregateDiscoveredResources-Pagination";
        let lines = wrap(f, name, max);
        assert_eq!(lines, ["ListAggregate", "DiscoveredResources-", "Pagination"]);
        assert!(holds_whole(name, &lines));
        assert_eq!(wrap(f, "Write To S3 WithResourceNameOrResourceId", max), ["Write To S3", "WithResourceNameOr", "ResourceId"]);
        assert!(holds_whole("Write To S3 WithResourceNameOrResourceId", &wrap(f, "Write To S3 WithResourceNameOrResourceId", max)));
        // Without a soft break, a word is cut where the line is full, and that is not whole.
        let lines = wrap(f, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", max);
        assert_eq!(lines.len(), 2);
        assert!(!holds_whole("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &lines));
        // What holds a name whole: breaks at spaces and soft breaks, nothing lost or added.
        let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(holds_whole("Create New Unit", &owned(&["Create New", "Unit"])));
        assert!(holds_whole("  Create   New ", &owned(&["Create New"])));
        assert!(!holds_whole("Create New Unit", &owned(&["Create New", "Uni"])));
        assert!(!holds_whole("Create New Unit", &owned(&["Create New Unit", "x"])));
        assert!(!holds_whole("Organizational", &owned(&["Organizati", "onal"])));
        assert!(holds_whole("snake_case_name", &owned(&["snake_", "case_name"])));
        assert!(holds_whole("", &owned(&[""])));
    }
}
