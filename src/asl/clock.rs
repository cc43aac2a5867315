//! Time for the interpreter: the [`Clock`] trait the caller owns, the [`VirtualClock`] that jumps
//! straight to the next timer, and the calendar arithmetic the interpreter needs (RFC 3339
//! timestamps for Wait and history, Python's `isoformat()` for the seed's handlers).
//!
//! Nothing here reads the wall clock: an execution's time is whatever its clock says, so a
//! one-year Wait costs nothing and the same start time gives the same history.

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// Where an execution's time comes from. The interpreter asks `now()` and, when every branch is
/// waiting on a timer, moves time forward with `advance_to()`.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Millis;
    /// Moves time forward to `instant` (never backward).
    fn advance_to(&mut self, instant: Millis);
}

/// A clock that only moves when the interpreter waits: it jumps straight to the next timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VirtualClock {
    now: Millis,
}

impl VirtualClock {
    /// A clock whose time is `start`.
    pub fn starting_at(start: Millis) -> Self {
        VirtualClock { now: start }
    }

    /// A clock starting at an RFC 3339 timestamp, e.g. `2024-01-01T00:00:00Z`.
    pub fn starting_at_rfc3339(text: &str) -> Option<Self> {
        parse_rfc3339(text).map(VirtualClock::starting_at)
    }
}

impl VirtualClock {
    /// 2024-01-01T00:00:00Z: where a default clock starts.
    pub const START: Millis = 1_704_067_200_000;
}

impl Default for VirtualClock {
    /// [`VirtualClock::START`]: a fixed, readable default.
    fn default() -> Self {
        VirtualClock::starting_at(VirtualClock::START)
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Millis {
        self.now
    }

    fn advance_to(&mut self, instant: Millis) {
        self.now = self.now.max(instant);
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// The parts of an instant: (year, month, day, hour, minute, second, millisecond), UTC.
fn split(instant: Millis) -> (i64, u32, u32, u32, u32, u32, u32) {
    let days = instant.div_euclid(86_400_000);
    let in_day = instant.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let ms = (in_day % 1000) as u32;
    let s = (in_day / 1000) as u32;
    (y, mo, d, s / 3600, s / 60 % 60, s % 60, ms)
}

/// `2024-01-01T00:00:00.000Z`: how history timestamps and `$$` times are written.
pub fn format_rfc3339(instant: Millis) -> String {
    let (y, mo, d, h, mi, s, ms) = split(instant);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// Python's `datetime.utcnow().isoformat()`: `2024-01-01T00:00:00.123000`, and no fraction when
/// the microseconds are zero.
pub fn format_python_isoformat(instant: Millis) -> String {
    let (y, mo, d, h, mi, s, ms) = split(instant);
    if (0..=9999).contains(&y) {
        // The digits written by hand: the handlers stamp every call with this.
        let mut out = String::with_capacity(26);
        let digits = |out: &mut String, value: u32, width: u32| {
            for place in (0..width).rev() {
                out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
            }
        };
        digits(&mut out, y as u32, 4);
        for (separator, value) in [('-', mo), ('-', d), ('T', h), (':', mi), (':', s)] {
            out.push(separator);
            digits(&mut out, value, 2);
        }
        if ms != 0 {
            out.push('.');
            digits(&mut out, ms * 1000, 6);
        }
        return out;
    }
    if ms == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}", ms * 1000)
    }
}

/// Parses an ISO-8601 extended offset date-time (`2016-03-14T01:59:00Z`,
/// `2016-03-14T01:59:00.123+02:00`), as Wait's Timestamp and the Timestamp comparisons accept.
/// Out-of-range fields (month 13, hour 25) are rejected.
pub fn parse_rfc3339(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = i64::from(digits(0..4)?);
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    let hour = digits(11..13)?;
    let minute = digits(14..16)?;
    let second = digits(17..19)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0u32;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let frac = &text[start..i];
        let padded: String = frac.chars().chain("000".chars()).take(3).collect();
        millis = padded.parse().ok()?;
    }
    let offset_minutes: i64 = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if b.len() == i + 6 && b[i + 3] == b':' => {
            let h = i64::from(digits(i + 1..i + 3)?);
            let m = i64::from(digits(i + 4..i + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'+' { total } else { -total }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second) - offset_minutes * 60;
    Some(seconds * 1000 + i64::from(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        let t = parse_rfc3339("2024-02-29T12:34:56.789Z").unwrap();
        assert_eq!(format_rfc3339(t), "2024-02-29T12:34:56.789Z");
        assert_eq!(parse_rfc3339("2024-02-29T14:34:56.789+02:00"), Some(t));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
    }

    #[test]
    fn rejects_out_of_range_fields() {
        assert_eq!(parse_rfc3339("2016-13-05T21:29:29Z"), None);
        assert_eq!(parse_rfc3339("2016-12-05T25:29:29Z"), None);
        assert_eq!(parse_rfc3339("05-12-2016T21:29:29Z"), None);
        assert_eq!(parse_rfc3339("2023-02-29T00:00:00Z"), None);
    }

    #[test]
    fn python_isoformat_drops_zero_microseconds() {
        assert_eq!(format_python_isoformat(0), "1970-01-01T00:00:00");
        assert_eq!(format_python_isoformat(1_500), "1970-01-01T00:00:01.500000");
        for instant in [86_399_999, 1_700_000_123_456, 253_402_300_799_999, -1, 253_402_300_800_000] {
            let (y, mo, d, h, mi, s, ms) = split(instant);
            let expected = if ms == 0 {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}", ms * 1000)
            };
            assert_eq!(format_python_isoformat(instant), expected);
        }
    }

    #[test]
    fn virtual_clock_never_goes_back() {
        let mut c = VirtualClock::starting_at(10);
        c.advance_to(5);
        assert_eq!(c.now(), 10);
        c.advance_to(1_000_000);
        assert_eq!(c.now(), 1_000_000);
    }
}
