//! Cell values as text, the way a person reads them on screen.

use calamine::Data;

/// A cell's text: numbers without a trailing `.0` (a phone typed as a number loses only its leading zero, which
/// the phone rule restores), dates as `dd/mm/yyyy`.
pub fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::Float(number) => number.to_string(),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(moment) => moment
            .as_datetime()
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| moment.as_f64().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(914994123.0)), "914994123");
        assert_eq!(cell_text(&Data::Int(1)), "1");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
