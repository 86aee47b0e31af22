//! A sheet's cells typed in a legacy Vietnamese encoding, turned into Unicode: by their font where the file
//! keeps it, otherwise by what the sheet's texts read like (one file keeps one encoding).

use super::Grid;
use cnscd_domain::legacy::{decode, detect, may_be_legacy, Legacy};
use std::collections::HashMap;

pub fn to_unicode(grid: &mut Grid) {
    let by_font: HashMap<(usize, usize), Legacy> = grid
        .legacy_fonts
        .iter()
        .map(|(row, column, encoding)| ((*row, *column), *encoding))
        .collect();
    let detected = detect(
        grid.rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| row.iter().enumerate().map(move |(c, t)| (r, c, t)))
            .filter(|(r, c, _)| !by_font.contains_key(&(*r, *c)))
            .map(|(_, _, text)| text.as_str()),
    );
    let mut counts: HashMap<Legacy, usize> = HashMap::new();
    for (r, row) in grid.rows.iter_mut().enumerate() {
        for (c, text) in row.iter_mut().enumerate() {
            let encoding = match by_font.get(&(r, c)) {
                // Plain ASCII reads the same in every font (what an H font does with it varies).
                Some(font) if !text.is_ascii() => Some(*font),
                Some(_) => None,
                None => detected.filter(|_| may_be_legacy(text)),
            };
            if let Some(encoding) = encoding {
                let unicode = decode(text, encoding);
                if unicode != *text {
                    *text = unicode;
                    *counts.entry(encoding).or_default() += 1;
                }
            }
        }
    }
    grid.converted = counts.into_iter().collect();
    grid.converted.sort_by_key(|(encoding, _)| encoding.label());
}
