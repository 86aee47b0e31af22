//! The one source of "now". Every time stamp, today's date and deadline comparison asks a [`Clock`], so tests
//! set the time instead of sleeping. Vietnam keeps UTC+7 all year (no daylight saving), so its local time is a
//! fixed offset and needs no time-zone database.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, Utc};
use std::sync::{Arc, Mutex};

/// Vietnam's offset from UTC.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// The system clock, or a manual one that tests set and advance.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock standing still at `at` until [`Clock::advance`] or [`Clock::set`] moves it.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self {
            manual: Some(Arc::new(Mutex::new(at))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            Some(at) => *at.lock().expect("clock lock"),
            None => Utc::now(),
        }
    }

    /// Moves a manual clock forward (does nothing to the system clock).
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.manual {
            let mut at = at.lock().expect("clock lock");
            *at += by;
        }
    }

    /// Sets a manual clock (does nothing to the system clock).
    pub fn set(&self, to: DateTime<Utc>) {
        if let Some(at) = &self.manual {
            *at.lock().expect("clock lock") = to;
        }
    }

    /// Today in Vietnam: the date people write on forms and documents.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&vietnam()).date_naive()
    }

    /// Now as stored: RFC 3339 in UTC to the second.
    pub fn stamp(&self) -> String {
        stamp(self.now())
    }
}

/// A stored time stamp: RFC 3339 in UTC to the second (sorts as text in both databases).
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a stored time stamp.
pub fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `25/11/2026 19:05`, Vietnam time, from a stored stamp (the stamp itself if it cannot be read).
pub fn vietnam_time(rfc3339: &str) -> String {
    parse_stamp(rfc3339)
        .map(|t| {
            t.with_timezone(&vietnam())
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_vietnams_date_not_utcs() {
        // 18:30 UTC on 24 November is 01:30 on 25 November in Hanoi.
        let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 24, 18, 30, 0).unwrap());
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert_eq!(vietnam_time(&clock.stamp()), "25/11/2026 01:30");
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let before = clock.now();
        clock.advance(Duration::minutes(90));
        assert_eq!(clock.now() - before, Duration::minutes(90));
        assert_eq!(clock.stamp(), "2026-01-01T01:30:00Z");
    }
}
