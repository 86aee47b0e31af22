//! Use cases that the web application and the CLI share: importing team lists and exporting the template.

pub mod export;
pub mod import;
