//! Deadlines: an instant, typed either with its offset (the API) or as a Vietnamese date and time (forms and
//! people), and shown in Vietnam time.

use crate::clock::vietnam;
use crate::errors::FieldError;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};

/// Reads a deadline: RFC 3339 with offset (`2025-07-15T17:00:00+07:00`), or a date with an optional time in
/// Vietnam time (`15/07/2025 17:00`, `15/7/2025`); a date alone means 23:59:59 that day.
pub fn parse_deadline(field: &str, input: &str) -> Result<DateTime<Utc>, FieldError> {
    let text = input.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let error = || {
        FieldError::new(
            field,
            "deadline_invalid",
            format!(
                "Hạn nộp «{}» không hợp lệ: hãy ghi ngày và giờ, ví dụ 15/07/2025 17:00.",
                text.chars().take(40).collect::<String>()
            ),
        )
    };
    let (date_text, time) = match text.rsplit_once(' ') {
        Some((date, time)) if time.contains(':') => {
            let time = NaiveTime::parse_from_str(time, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
                .map_err(|_| error())?;
            (date, time)
        }
        _ => (
            text,
            NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"),
        ),
    };
    let date = crate::date::parse_date(field, date_text).map_err(|_| error())?;
    vietnam()
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(error)
}

/// How far ahead a deadline may be set: a later one is a typing slip (a wrong year).
pub const MAX_DEADLINE_DAYS_AHEAD: i64 = 3 * 366;

/// A deadline for a round being opened or moved: still to come, and not years away (a wrong year would make
/// every commune late at once, or never).
pub fn check_deadline_ahead(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), FieldError> {
    if deadline <= now {
        return Err(FieldError::new(
            "deadline",
            "deadline_past",
            format!(
                "Hạn nộp {} đã qua: hãy chọn một thời điểm sắp tới.",
                show_instant(deadline)
            ),
        ));
    }
    if deadline > now + Duration::days(MAX_DEADLINE_DAYS_AHEAD) {
        return Err(FieldError::new(
            "deadline",
            "deadline_far",
            format!(
                "Hạn nộp {} cách quá xa (hơn 3 năm): hãy kiểm tra lại năm.",
                show_instant(deadline)
            ),
        ));
    }
    Ok(())
}

/// `17:00 15/07/2025`, in Vietnam time.
pub fn show_instant(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam())
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

/// How far a deadline is, as a commune officer reads it: `còn 3 ngày`, `còn 5 giờ`, `quá hạn 2 ngày`.
pub fn deadline_note(deadline: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = deadline - now;
    let (prefix, span) = if left >= Duration::zero() {
        ("còn", left)
    } else {
        ("quá hạn", -left)
    };
    if span >= Duration::days(1) {
        format!("{prefix} {} ngày", span.num_days())
    } else if span >= Duration::hours(1) {
        format!("{prefix} {} giờ", span.num_hours())
    } else {
        format!("{prefix} {} phút", span.num_minutes().max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn reads_every_writing_of_the_same_instant() {
        let expected = at("2025-07-15T10:00:00Z");
        for written in [
            "2025-07-15T17:00:00+07:00",
            "2025-07-15T10:00:00Z",
            "15/07/2025 17:00",
            "15/7/2025 17:00:00",
            "2025-07-15 17:00",
        ] {
            assert_eq!(
                parse_deadline("deadline", written).unwrap(),
                expected,
                "{written}"
            );
        }
        assert_eq!(
            parse_deadline("deadline", "15/07/2025").unwrap(),
            at("2025-07-15T16:59:59Z")
        );
        for wrong in ["", "mai", "15/07/2025 25:00", "32/07/2025"] {
            assert!(parse_deadline("deadline", wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_deadline_is_ahead_but_not_years_ahead() {
        let now = at("2025-07-10T10:00:00Z");
        assert!(check_deadline_ahead(at("2025-07-15T10:00:00Z"), now).is_ok());
        assert!(check_deadline_ahead(now, now).is_err());
        assert!(check_deadline_ahead(at("2020-01-01T10:00:00Z"), now).is_err());
        assert!(check_deadline_ahead(at("9999-01-01T10:00:00Z"), now).is_err());
    }

    #[test]
    fn says_how_far_the_deadline_is() {
        let deadline = at("2025-07-15T10:00:00Z");
        assert_eq!(
            deadline_note(deadline, at("2025-07-12T09:00:00Z")),
            "còn 3 ngày"
        );
        assert_eq!(
            deadline_note(deadline, at("2025-07-15T05:00:00Z")),
            "còn 5 giờ"
        );
        assert_eq!(
            deadline_note(deadline, at("2025-07-17T10:00:00Z")),
            "quá hạn 2 ngày"
        );
        assert_eq!(
            deadline_note(deadline, at("2025-07-15T10:00:30Z")),
            "quá hạn 1 phút"
        );
        assert_eq!(show_instant(deadline), "17:00 15/07/2025");
    }
}
