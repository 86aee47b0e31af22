//! Finding the commune a written name means, and the closest one to suggest when none matches.

use super::CommuneRef;
use cnscd_domain::unit::{commune_match_key, commune_name_keys};
use std::collections::HashMap;

/// The province's communes by each of their name keys, to find a written name at the most exact level it matches.
pub struct CommuneIndex<'a> {
    levels: [HashMap<String, Vec<&'a CommuneRef>>; 3],
}

impl<'a> CommuneIndex<'a> {
    pub fn new(communes: &'a [CommuneRef]) -> Self {
        let mut levels: [HashMap<String, Vec<&CommuneRef>>; 3] = Default::default();
        for commune in communes {
            for (level, key) in commune_name_keys(&commune.name).into_iter().enumerate() {
                levels[level].entry(key).or_default().push(commune);
            }
        }
        Self { levels }
    }

    /// The commune a written name means; or the candidates when it could mean several (none if no match).
    pub fn find(&self, name: &str) -> Result<&'a CommuneRef, Vec<&'a CommuneRef>> {
        for (level, key) in commune_name_keys(name).iter().enumerate() {
            match self.levels[level].get(key).map(Vec::as_slice) {
                Some([only]) => return Ok(only),
                Some(several) if !several.is_empty() => return Err(several.to_vec()),
                _ => {}
            }
        }
        Err(Vec::new())
    }
}

/// The closest commune name of the province, to suggest when a name is not found.
pub fn closest_commune<'a>(name: &str, communes: &'a [CommuneRef]) -> Option<&'a CommuneRef> {
    let key = commune_match_key(name);
    communes
        .iter()
        .map(|c| {
            (
                strsim::normalized_levenshtein(&key, &commune_match_key(&c.name)),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
