//! Dates as Vietnamese people write them (`10/7/2025`, `10.07.2025`, `ngày 10 tháng 7 năm 2025`) and show
//! them (`10/07/2025`).

use crate::errors::FieldError;
use crate::text::fold;
use chrono::NaiveDate;

const EARLIEST_YEAR: i32 = 1945;
const LATEST_YEAR: i32 = 2100;

/// Reads a date from `dd/mm/yyyy` (with `/`, `.` or `-`), the written-out form, or ISO `yyyy-mm-dd` (what a
/// browser's date field sends).
pub fn parse_date(field: &str, input: &str) -> Result<NaiveDate, FieldError> {
    let error = || {
        FieldError::new(
            field,
            "date_invalid",
            format!(
                "Ngày «{}» không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 10/07/2025.",
                input.trim()
            ),
        )
    };
    let numbers: Vec<i64> = fold(input)
        .split(' ')
        .filter(|w| !w.is_empty())
        .filter_map(|w| match w {
            "ngay" | "thang" | "nam" => None,
            number => Some(number.parse::<i64>().map_err(|_| ())),
        })
        .collect::<Result<_, _>>()
        .map_err(|_| error())?;
    let (year, month, day) = match numbers.as_slice() {
        [y, m, d] if *y > 31 => (*y, *m, *d),
        [d, m, y] => (*y, *m, *d),
        _ => return Err(error()),
    };
    if !(EARLIEST_YEAR as i64..=LATEST_YEAR as i64).contains(&year) {
        return Err(error());
    }
    NaiveDate::from_ymd_opt(
        year as i32,
        month.try_into().map_err(|_| error())?,
        day.try_into().map_err(|_| error())?,
    )
    .ok_or_else(error)
}

/// `10/07/2025`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// `ngày 10 tháng 7 năm 2025`, as on the place-date line of an official document.
pub fn format_date_long(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "ngày {} tháng {} năm {}",
        date.day(),
        date.month(),
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_common_writings() {
        for written in [
            "10/7/2025",
            "10/07/2025",
            "10.7.2025",
            "10-07-2025",
            "2025-07-10",
            "ngày 10 tháng 7 năm 2025",
            " Ngày 10 tháng 07 năm 2025 ",
        ] {
            assert_eq!(
                parse_date("date", written).unwrap(),
                d(2025, 7, 10),
                "{written}"
            );
        }
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in [
            "",
            "31/02/2025",
            "10/13/2025",
            "10/7",
            "hôm qua",
            "10/7/1800",
            "1/1/99999999999999999999",
        ] {
            assert_eq!(
                parse_date("date", bad).unwrap_err().code,
                "date_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn formats_with_two_digit_day_and_month() {
        assert_eq!(format_date(d(2025, 7, 10)), "10/07/2025");
    }
}
