//! Calendar dates, date-times and durations, without a date library: Lawful needs only
//! validation, ordering and "hours between", which the proleptic Gregorian calendar gives.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A date if it exists on the calendar (`2026-02-30` does not).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits only, no sign, no padding); `None` for
    /// malformed text or an impossible date.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(
            i32::try_from(digits(&b[0..4])?).ok()?,
            digits(&b[5..7])?,
            digits(&b[8..10])?,
        )
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The value of a run of ASCII digits, `None` if any byte is not one (no sign, no blank).
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A moment in time, kept as UTC minutes plus the offset the user wrote (for display).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// Minutes since 1970-01-01T00:00Z.
    pub utc_minutes: i64,
    /// The offset written, in minutes east of UTC (0 for `Z` or no zone).
    pub offset_minutes: i32,
    /// Whether seconds were written (kept only to show the value as given).
    pub seconds: u32,
}

impl DateTime {
    /// Parses exactly `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]` (two ASCII digits per field); no zone
    /// means UTC.
    pub fn parse(text: &str) -> Option<DateTime> {
        let b = text.as_bytes();
        if b.len() < 16 || b[10] != b'T' || b[13] != b':' {
            return None;
        }
        let date = Date::parse(text.get(..10)?)?;
        let hour = digits(&b[11..13])?;
        let minute = digits(&b[14..16])?;
        let mut rest = &b[16..];
        let mut seconds = 0;
        if let [b':', s1, s2, tail @ ..] = rest {
            seconds = digits(&[*s1, *s2])?;
            rest = tail;
        }
        let offset_minutes = match rest {
            [] | [b'Z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
                if h > 14 || m > 59 {
                    return None;
                }
                let minutes = i32::try_from(h * 60 + m).ok()?;
                if *sign == b'-' { -minutes } else { minutes }
            }
            _ => return None,
        };
        if hour > 23 || minute > 59 || seconds > 59 {
            return None;
        }
        let local = date.days_since_epoch() * 1440 + i64::from(hour * 60 + minute);
        Some(DateTime {
            utc_minutes: local - i64::from(offset_minutes),
            offset_minutes,
            seconds,
        })
    }

    /// Midnight UTC at the start of a date (for `notified-authority 2026-10-05`).
    pub fn from_date(date: Date) -> DateTime {
        DateTime {
            utc_minutes: date.days_since_epoch() * 1440,
            offset_minutes: 0,
            seconds: 0,
        }
    }

    pub fn plus_hours(self, hours: i64) -> DateTime {
        DateTime {
            utc_minutes: self.utc_minutes + hours * 60,
            ..self
        }
    }

    pub fn minutes_until(self, later: DateTime) -> i64 {
        later.utc_minutes - self.utc_minutes
    }
}

impl fmt::Display for DateTime {
    /// Shows the moment in the offset the user wrote, e.g. `2026-10-08T09:30+02:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.utc_minutes + i64::from(self.offset_minutes);
        let date = Date::from_days_since_epoch(local.div_euclid(1440));
        let minute_of_day = local.rem_euclid(1440);
        write!(
            f,
            "{date}T{:02}:{:02}",
            minute_of_day / 60,
            minute_of_day % 60
        )?;
        if self.seconds != 0 {
            write!(f, ":{:02}", self.seconds)?;
        }
        if self.offset_minutes == 0 {
            f.write_str("Z")
        } else {
            let sign = if self.offset_minutes < 0 { '-' } else { '+' };
            let abs = self.offset_minutes.abs();
            write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
        }
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.utc_minutes, self.seconds).cmp(&(other.utc_minutes, other.seconds))
    }
}

/// A duration unit; durations compare in days (week 7, month 30, year 365, as docs/language.md says).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub fn parse(text: &str) -> Option<Unit> {
        Some(match text.trim_end_matches('s') {
            "hour" => Unit::Hour,
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => return None,
        })
    }

    fn hours(self) -> u64 {
        match self {
            Unit::Hour => 1,
            Unit::Day => 24,
            Unit::Week => 7 * 24,
            Unit::Month => 30 * 24,
            Unit::Year => 365 * 24,
        }
    }

    pub fn name(self, count: u64) -> &'static str {
        let plural = count != 1;
        match (self, plural) {
            (Unit::Hour, false) => "hour",
            (Unit::Hour, true) => "hours",
            (Unit::Day, false) => "day",
            (Unit::Day, true) => "days",
            (Unit::Week, false) => "week",
            (Unit::Week, true) => "weeks",
            (Unit::Month, false) => "month",
            (Unit::Month, true) => "months",
            (Unit::Year, false) => "year",
            (Unit::Year, true) => "years",
        }
    }
}

/// The largest count a duration may have; beyond it the value is reported as impossible (E009).
pub const MAX_DURATION_COUNT: u64 = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub count: u64,
    pub unit: Unit,
}

impl Duration {
    /// Length in hours, the common measure for comparisons.
    pub fn hours(self) -> u64 {
        self.count.saturating_mul(self.unit.hours())
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.count, self.unit.name(self.count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2100-02-29").is_none());
    }

    #[test]
    fn dates_are_exactly_four_two_two_digits() {
        for text in [
            "+202-01-01",
            "-202-01-01",
            " 202-01-01",
            "2026-+1-01",
            "2026-01-+1",
            "2026-1-01",
            "20260-01-01",
            "２０２６-01-01",
            "2026/01/01",
            "2026-01-01 ",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
        assert_eq!(Date::parse("0202-01-01").map(|d| d.year), Some(202));
    }

    #[test]
    fn datetimes_are_strict_too() {
        for text in [
            "+202-01-01T10:00",
            "2026-01-01T+1:00",
            "2026-01-01T10:+1",
            "2026-01-01T10:00:+1",
            "2026-01-01T10:00+1:00",
            "2026-01-01T10:00+01:+1",
            "2026-01-01T1:00",
            "2026-01-01T10:00:00:00",
            "2026-01-01T10:00Zx",
            "2026-01-01T10:00+0100",
        ] {
            assert_eq!(DateTime::parse(text), None, "{text}");
        }
        let west = DateTime::parse("2026-01-01T10:00:30-01:30").unwrap();
        assert_eq!((west.offset_minutes, west.seconds), (-90, 30));
    }

    #[test]
    fn days_round_trip() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-23", "1969-12-31"] {
            let date = Date::parse(text).unwrap();
            assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
            assert_eq!(date.to_string(), text);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
    }

    #[test]
    fn datetimes_compare_in_utc() {
        let amsterdam = DateTime::parse("2026-10-05T09:30+02:00").unwrap();
        let utc = DateTime::parse("2026-10-05T07:30Z").unwrap();
        assert_eq!(amsterdam.cmp(&utc), std::cmp::Ordering::Equal);
        assert_eq!(
            amsterdam.plus_hours(72).to_string(),
            "2026-10-08T09:30+02:00"
        );
        assert!(DateTime::parse("2026-10-05T24:00").is_none());
        assert_eq!(
            DateTime::parse("2026-10-05T10:00").unwrap().to_string(),
            "2026-10-05T10:00Z"
        );
    }

    #[test]
    fn durations_compare_in_days() {
        let six_weeks = Duration {
            count: 6,
            unit: Unit::Week,
        };
        let one_month = Duration {
            count: 1,
            unit: Unit::Month,
        };
        assert!(six_weeks.hours() > one_month.hours());
    }
}
